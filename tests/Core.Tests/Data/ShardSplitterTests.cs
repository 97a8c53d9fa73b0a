using Orleans.Gan.Data;

namespace Orleans.Gan.Core.Tests.Data;

public sealed class ShardSplitterTests
{
    [Theory]
    [InlineData(10, 3)]
    [InlineData(202_599, 4)]
    [InlineData(7, 7)]
    [InlineData(3, 5)]
    [InlineData(0, 2)]
    public void Slices_AreContiguousAndCoverEveryItemOnce(int count, int shardCount)
    {
        ShardRange[] slices = [.. Enumerable.Range(0, shardCount).Select(i => ShardSplitter.Slice(count, shardCount, i))];

        Assert.Equal(0, slices[0].Start);
        for (int i = 1; i < shardCount; i++)
        {
            Assert.Equal(slices[i - 1].End, slices[i].Start);
        }

        Assert.Equal(count, slices[^1].End);
        Assert.True(slices.Max(s => s.Count) - slices.Min(s => s.Count) <= 1);
        Assert.Equal(slices, Enumerable.Range(0, shardCount).Select(i => ShardSplitter.Slice(count, shardCount, i)));
    }

    [Fact]
    public void Remainder_GoesToTheFirstShards()
    {
        Assert.Equal(new ShardRange(0, 4), ShardSplitter.Slice(10, 3, 0));
        Assert.Equal(new ShardRange(4, 3), ShardSplitter.Slice(10, 3, 1));
        Assert.Equal(new ShardRange(7, 3), ShardSplitter.Slice(10, 3, 2));
    }

    [Theory]
    [InlineData(-1, 2, 0, "count")]
    [InlineData(10, 0, 0, "shardCount")]
    [InlineData(10, 2, -1, "shardIndex")]
    [InlineData(10, 2, 2, "shardIndex")]
    public void InvalidArguments_NameTheArgument(int count, int shardCount, int shardIndex, string argument)
    {
        var exception = Assert.ThrowsAny<ArgumentException>(() => ShardSplitter.Slice(count, shardCount, shardIndex));
        Assert.Equal(argument, exception.ParamName);
    }
}
