namespace Orleans.Gan.Data;

/// <summary>A contiguous slice [Start, Start + Count) of a list of items.</summary>
public readonly record struct ShardRange(int Start, int Count)
{
    public int End => Start + Count;
}
