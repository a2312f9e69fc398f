namespace ServerlessFlow;

/// <summary>
/// The type of a search attribute: indexed metadata of a workflow that listing can filter on. Register
/// each name once with <c>AddSearchAttribute</c>; values given at start or upserted by the workflow are
/// checked against the type.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "Temporal's names for the search attribute types, which users know.")]
public enum SearchAttributeType
{
    /// <summary>A string compared whole (an ID, a customer, a region); at most 1,024 characters.</summary>
    Keyword,

    /// <summary>A 64-bit integer.</summary>
    Int,

    /// <summary>A double-precision number.</summary>
    Double,

    /// <summary>True or false.</summary>
    Bool,

    /// <summary>A point in time (stored in UTC).</summary>
    Datetime,
}

/// <summary>How a <see cref="SearchAttributeFilter"/> compares the stored value with its own.</summary>
public enum SearchAttributeOperator
{
    /// <summary>Equal.</summary>
    Eq,

    /// <summary>Greater than or equal.</summary>
    Ge,

    /// <summary>Greater than.</summary>
    Gt,

    /// <summary>Less than or equal.</summary>
    Le,

    /// <summary>Less than.</summary>
    Lt,
}

/// <summary>One condition on a search attribute; a listing ANDs all of them. Workflows without the attribute never match.</summary>
/// <param name="Name">The registered attribute name.</param>
/// <param name="Operator">The comparison; ranges (Ge, Gt, Le, Lt) for Int, Double and Datetime only.</param>
/// <param name="Value">The value: a string (Keyword), an integer (Int), a number (Double), a bool, or a DateTimeOffset/DateTime (Datetime).</param>
public sealed record SearchAttributeFilter(string Name, SearchAttributeOperator Operator, object Value);

/// <summary>The search attributes every workflow may have without registering them.</summary>
public static class BuiltInSearchAttributes
{
    /// <summary>The ID of the schedule that started the workflow (Keyword).</summary>
    public const string ScheduledById = "ScheduledById";

    /// <summary>The nominal time the schedule started the workflow for (Datetime).</summary>
    public const string ScheduledStartTime = "ScheduledStartTime";
}
