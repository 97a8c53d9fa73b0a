using Orleans.Gan.Data;
using Orleans.Gan.Data.Synthetic;
using TorchSharp;

namespace Orleans.Gan.Core.Tests.Data;

public sealed class ShardCacheTests : IDisposable
{
    private const int ImageCount = 24;
    private readonly TempFolder _temp = new();
    private readonly string _root;
    private readonly string _cache;
    private readonly List<string> _log = [];
    private readonly List<CelebaShardReader> _opened = [];

    public ShardCacheTests()
    {
        _root = _temp.Combine("celeba");
        _cache = _temp.Combine("cache");
        SyntheticFaceWriter.Write(_root, ImageCount, seed: 8);
    }

    [Fact]
    public void FirstOpen_BuildsTheCache_SecondOpen_ReusesItWithoutDecoding()
    {
        CelebaShardReader built = Open();
        float[] expected = AllValues(built);
        Assert.Equal(CacheOutcome.Built, built.CacheOutcome);
        Assert.True(File.Exists(built.CachePath));

        // Same length, different content: the fingerprint does not change, and since a reused cache decodes nothing
        // the broken file cannot show up as a skip.
        string image = Path.Combine(_root, CelebaSource.ImageFolderName, "000002.jpg");
        File.WriteAllBytes(image, new byte[new FileInfo(image).Length]);
        CelebaShardReader reused = Open();

        Assert.Equal(CacheOutcome.Reused, reused.CacheOutcome);
        Assert.Empty(reused.Skipped);
        Assert.Equal(expected, AllValues(reused));
    }

    [Fact]
    public void FlippedPayloadByte_IsDetectedAndRebuilt()
    {
        CelebaShardReader built = Open();
        float[] expected = AllValues(built);
        byte[] file = File.ReadAllBytes(built.CachePath);
        file[file.Length - 100] ^= 0x40;
        File.WriteAllBytes(built.CachePath, file);

        CelebaShardReader rebuilt = Open();

        Assert.Equal(CacheOutcome.Rebuilt, rebuilt.CacheOutcome);
        Assert.Contains(_log, line => line.Contains("checksum mismatch"));
        Assert.Equal(expected, AllValues(rebuilt));
        Assert.Equal(CacheOutcome.Reused, Open().CacheOutcome);
    }

    [Fact]
    public void FlippedHeaderByte_IsReportedCorruptAndRebuilt()
    {
        CelebaShardReader built = Open();
        byte[] file = File.ReadAllBytes(built.CachePath);
        file[20] ^= 0x01;
        File.WriteAllBytes(built.CachePath, file);

        CelebaShardReader rebuilt = Open();

        Assert.Equal(CacheOutcome.Rebuilt, rebuilt.CacheOutcome);
        Assert.Contains(_log, line => line.Contains("header checksum mismatch"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(40)]
    [InlineData(1000)]
    public void TruncatedCache_IsDetectedAndRebuilt(int keptBytes)
    {
        CelebaShardReader built = Open();
        float[] expected = AllValues(built);
        using (var stream = new FileStream(built.CachePath, FileMode.Open))
        {
            stream.SetLength(keptBytes);
        }

        CelebaShardReader rebuilt = Open();

        Assert.Equal(CacheOutcome.Rebuilt, rebuilt.CacheOutcome);
        Assert.Contains(_log, line => line.Contains("corrupt"));
        Assert.Equal(expected, AllValues(rebuilt));
    }

    [Fact]
    public void AddedSourceFile_MakesTheCacheStale()
    {
        Open();
        File.WriteAllBytes(Path.Combine(_root, CelebaSource.ImageFolderName, "000000.jpg"), TestImages.FaceJpeg(3));

        CelebaShardReader rebuilt = Open();

        Assert.Equal(CacheOutcome.Rebuilt, rebuilt.CacheOutcome);
        Assert.Contains(_log, line => line.Contains("was built from"));
        Assert.Equal(SyntheticFaceWriter.PartitionSizes(ImageCount).Train + 1, rebuilt.Count);
    }

    [Fact]
    public void SourceImageReplacedByOneOfAnotherSize_MakesTheCacheStale()
    {
        CelebaShardReader built = Open();
        float[] before = AllValues(built);
        File.WriteAllBytes(Path.Combine(_root, CelebaSource.ImageFolderName, "000001.jpg"), TestImages.SolidJpeg(120, 150));

        CelebaShardReader rebuilt = Open();

        Assert.Equal(CacheOutcome.Rebuilt, rebuilt.CacheOutcome);
        Assert.NotEqual(before, AllValues(rebuilt));
    }

    [Fact]
    public void OtherImageSizeOrShard_UsesItsOwnCacheFile()
    {
        CelebaShardReader small = Open(imageSize: 28);
        CelebaShardReader large = Open(imageSize: 64);
        CelebaShardReader half = Open(shardIndex: 1, shardCount: 2);

        Assert.Equal(CacheOutcome.Built, large.CacheOutcome);
        Assert.Equal(CacheOutcome.Built, half.CacheOutcome);
        Assert.Equal(3, new[] { small.CachePath, large.CachePath, half.CachePath }.Distinct().Count());
        Assert.Equal(CacheOutcome.Reused, Open(imageSize: 28).CacheOutcome);
    }

    [Fact]
    public void CacheForAnotherKey_IsReportedStale()
    {
        CelebaShardReader built = Open();
        ShardCacheKey other = built.Key with { ShardCount = 5 };

        ShardCacheLoad load = ShardCache.Load(built.CachePath, other);

        Assert.Equal(ShardCacheStatus.Stale, load.Status);
        Assert.Null(load.Cache);
        Assert.Equal(ShardCacheStatus.Missing, ShardCache.Load(_temp.Combine("none.ogancache"), other).Status);
    }

    [Fact]
    public void Write_LeavesNoTemporaryFiles()
    {
        Open();
        Open(imageSize: 64);

        Assert.Equal(2, Directory.GetFiles(_cache).Length);
    }

    [Fact]
    public void CacheCutShortWhileInUse_FailsTheBatchNamingTheFile()
    {
        CelebaShardReader reader = Open();
        reader.Pixels([reader.Count - 1]);
        using (var stream = new FileStream(reader.CachePath, FileMode.Open))
        {
            stream.SetLength(stream.Length / 2);
        }

        var error = Assert.Throws<IOException>(() => reader.Pixels([reader.Count - 1]));
        Assert.Contains(reader.CachePath, error.Message);
        Assert.Equal(CacheOutcome.Rebuilt, Open().CacheOutcome);
    }

    [Fact]
    public void CacheFolderThatCannotBeWritten_ServesTheImagesFromAScratchFileAndSaysSo()
    {
        float[] expected = AllValues(Open());
        string blocked = _temp.Combine("not-a-folder");
        File.WriteAllText(blocked, "a file where the cache folder would be");

        CelebaShardReader reader = CelebaShardReader.Open(_root, DataPartition.Train, 0, 1, 28, blocked, _log.Add);
        _opened.Add(reader);

        Assert.Equal(CacheOutcome.Built, reader.CacheOutcome);
        Assert.Equal(expected, AllValues(reader));
        Assert.Contains(_log, line => line.Contains($"Could not write cache {reader.CachePath}"));
        string scratch = Assert.Single(Directory.GetFiles(Path.GetTempPath(), $".{Path.GetFileName(reader.CachePath)}.*.decoding"));
        reader.Dispose();
        Assert.False(File.Exists(scratch), "the scratch file outlived its reader");
    }

    public void Dispose()
    {
        _opened.ForEach(reader => reader.Dispose());
        _temp.Dispose();
    }

    private CelebaShardReader Open(int imageSize = 28, int shardIndex = 0, int shardCount = 1)
    {
        var reader = CelebaShardReader.Open(_root, DataPartition.Train, shardIndex, shardCount, imageSize, _cache, _log.Add);
        _opened.Add(reader);
        return reader;
    }

    private static float[] AllValues(CelebaShardReader reader)
    {
        using torch.Tensor batch = reader.Batch([.. Enumerable.Range(0, reader.Count)]);
        return TestImages.Values(batch);
    }
}
