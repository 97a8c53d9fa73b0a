using System.Security.Cryptography;
using Orleans.Gan.Data;
using Orleans.Gan.Data.Synthetic;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;

namespace Orleans.Gan.Core.Tests.Data;

public sealed class SyntheticFaceWriterTests : IDisposable
{
    private readonly TempFolder _temp = new();

    [Fact]
    public void Write_CreatesCelebaLayoutWithJpegsAndContiguousPartitions()
    {
        var reported = new List<int>();
        SyntheticFaceWriter.Write(_temp.Path, 50, seed: 1, new SynchronousProgress(reported));

        string[] files = [.. Directory.GetFiles(_temp.Combine(CelebaSource.ImageFolderName)).Select(Path.GetFileName).Order()!];
        Assert.Equal(Enumerable.Range(1, 50).Select(i => $"{i:D6}.jpg"), files);
        IImageInfo info = Image.Identify(_temp.Combine(CelebaSource.ImageFolderName, "000001.jpg"), out var format);
        Assert.IsType<JpegFormat>(format);
        Assert.Equal(178, info.Width);
        Assert.Equal(218, info.Height);
        Assert.Equal(50, reported.Max());

        string[] lines = File.ReadAllLines(_temp.Combine(CelebaSource.PartitionFileName));
        int[] codes = [.. lines.Select(line => int.Parse(line.Split(' ')[1]))];
        Assert.Equal(files, lines.Select(line => line.Split(' ')[0]));
        Assert.Equal(codes.Order(), codes);
        Assert.Equal((40, 5, 5), SyntheticFaceWriter.PartitionSizes(50));
        Assert.Equal(40, codes.Count(code => code == 0));
        Assert.Equal(5, codes.Count(code => code == 1));
        Assert.Equal(5, codes.Count(code => code == 2));
    }

    [Fact]
    public void PartitionSizes_FollowCelebaProportions()
    {
        (int train, int valid, int test) = SyntheticFaceWriter.PartitionSizes(202_599);
        Assert.Equal((162_770, 19_867, 19_962), (train, valid, test));
        Assert.Equal((1, 0, 0), SyntheticFaceWriter.PartitionSizes(1));
    }

    [Fact]
    public void Write_SameSeed_GivesIdenticalBytes_OtherSeed_DifferentBytes()
    {
        SyntheticFaceWriter.Write(_temp.Combine("a"), 12, seed: 5);
        SyntheticFaceWriter.Write(_temp.Combine("b"), 12, seed: 5);
        SyntheticFaceWriter.Write(_temp.Combine("c"), 12, seed: 6);

        for (int index = 0; index < 12; index++)
        {
            string name = SyntheticFaceWriter.ImageName(index);
            byte[] a = File.ReadAllBytes(_temp.Combine("a", CelebaSource.ImageFolderName, name));
            byte[] b = File.ReadAllBytes(_temp.Combine("b", CelebaSource.ImageFolderName, name));
            byte[] c = File.ReadAllBytes(_temp.Combine("c", CelebaSource.ImageFolderName, name));
            Assert.Equal(a, b);
            Assert.NotEqual(a, c);
        }
    }

    [Fact]
    public void Write_FacesDifferFromEachOther()
    {
        SyntheticFaceWriter.Write(_temp.Path, 30, seed: 3);
        string folder = _temp.Combine(CelebaSource.ImageFolderName);

        string[] hashes = [.. Directory.GetFiles(folder).Select(file => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file))))];
        Assert.Equal(30, hashes.Distinct().Count());

        using Image<Rgb24> first = Image.Load<Rgb24>(Path.Combine(folder, "000001.jpg"));
        using Image<Rgb24> second = Image.Load<Rgb24>(Path.Combine(folder, "000002.jpg"));
        double difference = 0;
        for (int y = 0; y < first.Height; y++)
        {
            for (int x = 0; x < first.Width; x++)
            {
                difference += Math.Abs(first[x, y].R - second[x, y].R) + Math.Abs(first[x, y].G - second[x, y].G);
            }
        }

        Assert.True(difference / (first.Width * first.Height) > 10, $"mean difference {difference / (first.Width * first.Height)}");
    }

    [Fact]
    public void Write_InvalidArguments_NameTheArgument()
    {
        Assert.Equal("count", Assert.Throws<ArgumentException>(() => SyntheticFaceWriter.Write(_temp.Path, 0, 1)).ParamName);
        Assert.Equal("outputRoot", Assert.Throws<ArgumentException>(() => SyntheticFaceWriter.Write(" ", 5, 1)).ParamName);
    }

    [Fact]
    public void Write_IntoAFolderWithOtherImages_Refuses_ButRewritesItsOwn()
    {
        SyntheticFaceWriter.Write(_temp.Path, 5, seed: 1);
        SyntheticFaceWriter.Write(_temp.Path, 5, seed: 1);

        var exception = Assert.Throws<ArgumentException>(() => SyntheticFaceWriter.Write(_temp.Path, 3, seed: 1));
        Assert.Equal("outputRoot", exception.ParamName);
        Assert.Matches("00000[45].jpg", exception.Message);
    }

    public void Dispose() => _temp.Dispose();

    /// <summary>Progress&lt;T&gt; posts to the thread pool; tests need every report before they assert.</summary>
    private sealed class SynchronousProgress(List<int> reports) : IProgress<int>
    {
        public void Report(int value)
        {
            lock (reports)
            {
                reports.Add(value);
            }
        }
    }
}
