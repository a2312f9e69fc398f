using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;

namespace ServerlessFlow.Generators;

/// <summary>
/// An immutable array compared by its elements, so the incremental pipeline sees an unchanged model as equal and
/// skips writing its source again (ImmutableArray compares by reference).
/// </summary>
internal readonly struct EquatableArray<T>(ImmutableArray<T> items) : IEquatable<EquatableArray<T>>, IEnumerable<T>
    where T : IEquatable<T>
{
    private readonly ImmutableArray<T> items = items;

    public int Count => items.IsDefault ? 0 : items.Length;

    public bool Equals(EquatableArray<T> other) =>
        items.IsDefaultOrEmpty ? other.items.IsDefaultOrEmpty : !other.items.IsDefault && items.SequenceEqual(other.items);

    public override bool Equals(object? obj) => obj is EquatableArray<T> other && Equals(other);

    public override int GetHashCode() => items.IsDefault ? 0 : items.Aggregate(17, (hash, item) => unchecked((hash * 31) + item.GetHashCode()));

    public IEnumerator<T> GetEnumerator() => (items.IsDefault ? ImmutableArray<T>.Empty : items).AsEnumerable().GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
