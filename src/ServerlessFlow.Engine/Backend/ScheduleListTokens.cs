using System.Text;

namespace ServerlessFlow.Engine.Backend;

/// <summary>Continuation tokens of <see cref="IScheduleStore.ListSchedulesAsync"/>: the last key of the page, opaque to callers.</summary>
public static class ScheduleListTokens
{
    private const string Prefix = "s:";

    /// <summary>The token that resumes after <paramref name="lastKey"/>.</summary>
    public static string Format(string lastKey) => Convert.ToBase64String(Encoding.UTF8.GetBytes(Prefix + lastKey));

    /// <summary>The last key a token names.</summary>
    /// <exception cref="InvalidWorkflowRequestException">The token is not one a list returned.</exception>
    public static string Parse(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            if (text.StartsWith(Prefix, StringComparison.Ordinal))
            {
                return text[Prefix.Length..];
            }
        }
        catch (FormatException)
        {
            // Reported below like any other foreign token.
        }

        throw new InvalidWorkflowRequestException($"Continuation token '{token}' is not one this list returned: pass the token from the previous page unchanged.");
    }
}
