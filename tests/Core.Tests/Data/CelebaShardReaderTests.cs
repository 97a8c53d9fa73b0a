using System.IO.Compression;
using Orleans.Gan.Data;
using Orleans.Gan.Data.Synthetic;
using TorchSharp;

namespace Orleans.Gan.Core.Tests.Data;

public sealed class CelebaShardReaderTests : IDisposable
{
    private const int ImageCount = 40;
    private readonly TempFolder _temp = new();
    private readonly List<CelebaShardReader> _opened = [];
    private readonly string _root;

    public CelebaShardReaderTests()
    {
        _root = _temp.Combine("celeba");
        SyntheticFaceWriter.Write(_root, ImageCount, seed: 4);
    }

    [Theory]
    [InlineData(28)]
    [InlineData(64)]
    public void Batch_IsFloatNchwInMinusOneToOne(int imageSize)
    {
        CelebaShardReader reader = Open(_root, 0, 1, imageSize);
        using torch.Tensor batch = reader.Batch([0, 5, 2, 5]);

        Assert.Equal([4L, 3, imageSize, imageSize], batch.shape);
        Assert.Equal(torch.float32, batch.dtype);
        float[] values = TestImages.Values(batch);
        Assert.InRange(values.Min(), -1f, 1f);
        Assert.InRange(values.Max(), -1f, 1f);
        Assert.True(values.Distinct().Count() > 50, "a batch of faces is not constant");
        Assert.Equal(values.AsSpan(3 * imageSize * imageSize, 3 * imageSize * imageSize).ToArray(), values[^(3 * imageSize * imageSize)..]);
    }

    [Fact]
    public void Batch_MatchesThePreprocessedImageScaled()
    {
        CelebaShardReader reader = Open(_root, 0, 1, 28);
        byte[] expected = new FacePreprocessor(28).Process(File.ReadAllBytes(Path.Combine(_root, CelebaSource.ImageFolderName, "000002.jpg"))).Pixels!;

        using torch.Tensor batch = reader.Batch([1]);

        Assert.Equal(expected.Select(b => b / 127.5f - 1f), TestImages.Values(batch), new FloatTolerance(1e-6f));
    }

    [Fact]
    public void Batch_InvalidIndices_NameTheArgument()
    {
        CelebaShardReader reader = Open(_root, 0, 1, 28);

        Assert.Equal("indices", Assert.Throws<ArgumentOutOfRangeException>(() => reader.Batch([reader.Count])).ParamName);
        Assert.Equal("indices", Assert.Throws<ArgumentException>(() => reader.Batch([])).ParamName);
    }

    [Fact]
    public void Shards_CoverTheTrainPartitionOnly()
    {
        int train = SyntheticFaceWriter.PartitionSizes(ImageCount).Train;

        CelebaShardReader[] shards = [.. Enumerable.Range(0, 3).Select(i => Open(_root, i, 3, 28))];

        Assert.Equal(train, shards.Sum(shard => shard.Count));
        Assert.Equal([11, 11, 10], shards.Select(shard => shard.Count));
        Assert.Equal(new ShardRange(11, 11), shards[1].Range);
        using torch.Tensor fromShard = shards[1].Batch([0]);
        using torch.Tensor fromWhole = Open(_root, 0, 1, 28).Batch([11]);
        Assert.Equal(TestImages.Values(fromWhole), TestImages.Values(fromShard));
    }

    [Fact]
    public void FolderAndZip_GiveIdenticalTensors()
    {
        string zipRoot = _temp.Combine("zipped");
        Directory.CreateDirectory(zipRoot);
        ZipFile.CreateFromDirectory(Path.Combine(_root, CelebaSource.ImageFolderName), Path.Combine(zipRoot, CelebaSource.ZipFileName), CompressionLevel.Optimal, includeBaseDirectory: true);
        File.Copy(Path.Combine(_root, CelebaSource.PartitionFileName), Path.Combine(zipRoot, CelebaSource.PartitionFileName));

        CelebaShardReader folder = Open(_root, 1, 2, 64);
        CelebaShardReader zip = Open(zipRoot, 1, 2, 64, cacheFolder: "zip-cache");

        Assert.Equal(folder.Count, zip.Count);
        int[] all = [.. Enumerable.Range(0, folder.Count)];
        using torch.Tensor fromFolder = folder.Batch(all);
        using torch.Tensor fromZip = zip.Batch(all);
        Assert.Equal(TestImages.Values(fromFolder), TestImages.Values(fromZip));
    }

    [Fact]
    public void BadFiles_AreSkippedCountedAndLogged_AndTheRestLoads()
    {
        File.Delete(Path.Combine(_root, CelebaSource.PartitionFileName));
        string images = Path.Combine(_root, CelebaSource.ImageFolderName);
        var bad = new Dictionary<string, (byte[] Bytes, SkipReason Reason)>
        {
            ["000003.jpg"] = ([], SkipReason.EmptyFile),
            ["000008.jpg"] = (TestImages.TruncatedJpeg(), SkipReason.Truncated),
            ["000013.jpg"] = ("not an image"u8.ToArray(), SkipReason.NotJpeg),
            ["000021.jpg"] = (TestImages.FacePng(), SkipReason.NotJpeg),
            ["000030.jpg"] = (TestImages.HugeJpegHeader(), SkipReason.TooLarge),
            ["000031.jpg"] = (TestImages.HugePngHeader(), SkipReason.NotJpeg),
        };
        foreach ((string name, (byte[] bytes, _)) in bad)
        {
            File.WriteAllBytes(Path.Combine(images, name), bytes);
        }

        var log = new List<string>();
        CelebaShardReader reader = Open(_root, 0, 1, 28, log);

        Assert.Equal(ImageCount - bad.Count, reader.Count);
        Assert.Equal(bad.Keys.Order(), reader.Skipped.Select(skip => skip.Name));
        Assert.All(reader.Skipped, skip => Assert.Equal(bad[skip.Name].Reason, skip.Reason));
        Assert.All(bad.Keys, name => Assert.Single(log, line => line.Contains(name)));
        using torch.Tensor batch = reader.Batch([.. Enumerable.Range(0, reader.Count)]);
        Assert.Equal(ImageCount - bad.Count, batch.shape[0]);

        CelebaShardReader reused = Open(_root, 0, 1, 28);
        Assert.Equal(CacheOutcome.Reused, reused.CacheOutcome);
        Assert.Equal(reader.Skipped, reused.Skipped);
    }

    [Fact]
    public void ShardWithoutUsableImages_Throws()
    {
        File.Delete(Path.Combine(_root, CelebaSource.PartitionFileName));
        foreach (string name in Enumerable.Range(0, 10).Select(SyntheticFaceWriter.ImageName))
        {
            File.WriteAllBytes(Path.Combine(_root, CelebaSource.ImageFolderName, name), []);
        }

        var exception = Assert.Throws<DatasetException>(() => Open(_root, 0, 4, 28));
        Assert.Contains(Path.Combine(_root, CelebaSource.ImageFolderName), exception.Message);
    }

    [Fact]
    public void Progress_ReachesTheShardSize()
    {
        var progress = new LastValue();
        using CelebaShardReader reader = CelebaShardReader.Open(_root, DataPartition.Train, 0, 1, 28, _temp.Combine("cache"), progress: progress);

        Assert.Equal(reader.Range.Count, progress.Value);
    }

    public void Dispose()
    {
        _opened.ForEach(reader => reader.Dispose());
        _temp.Dispose();
    }

    private CelebaShardReader Open(string root, int shardIndex, int shardCount, int imageSize, List<string>? log = null, string cacheFolder = "cache")
    {
        var reader = CelebaShardReader.Open(root, DataPartition.Train, shardIndex, shardCount, imageSize, _temp.Combine(cacheFolder), log is null ? null : log.Add);
        _opened.Add(reader);
        return reader;
    }

    private sealed class LastValue : IProgress<int>
    {
        public int Value { get; private set; }

        public void Report(int value) => Value = Math.Max(Value, value);
    }

    private sealed class FloatTolerance(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(float obj) => 0;
    }
}
