using System.IO.Compression;
using Orleans.Gan.Data;
using Orleans.Gan.Data.Synthetic;

namespace Orleans.Gan.Core.Tests.Data;

public sealed class CelebaSourceTests : IDisposable
{
    private const int ImageCount = 20;
    private readonly TempFolder _temp = new();
    private readonly string _root;

    public CelebaSourceTests()
    {
        _root = _temp.Combine("celeba");
        SyntheticFaceWriter.Write(_root, ImageCount, seed: 2);
    }

    [Fact]
    public void Open_RootFolder_ListsPartitionsInOrder()
    {
        using CelebaSource source = CelebaSource.Open(_root);

        Assert.False(source.IsZip);
        Assert.Equal(_temp.Combine("celeba", CelebaSource.ImageFolderName), source.Location);
        Assert.Equal(ImageCount, source.Count);
        (int train, int valid, int test) = SyntheticFaceWriter.PartitionSizes(ImageCount);
        Assert.Equal(Enumerable.Range(0, train).Select(SyntheticFaceWriter.ImageName), source.ImageNames(DataPartition.Train));
        Assert.Equal(valid, source.ImageNames(DataPartition.Valid).Count);
        Assert.Equal(test, source.ImageNames(DataPartition.Test).Count);
        Assert.Equal(File.ReadAllBytes(Path.Combine(source.Location, "000003.jpg")), source.ReadImage("000003.jpg"));
    }

    [Fact]
    public void Open_ImageFolderItself_FindsThePartitionFileBesideIt()
    {
        using CelebaSource source = CelebaSource.Open(Path.Combine(_root, CelebaSource.ImageFolderName));

        Assert.Equal(Path.Combine(_root, CelebaSource.PartitionFileName), source.PartitionFile);
        Assert.Equal(SyntheticFaceWriter.PartitionSizes(ImageCount).Train, source.ImageNames(DataPartition.Train).Count);
    }

    [Fact]
    public void Open_ZipOrRootWithZip_ReadsTheSameImagesInPlace()
    {
        string zipRoot = _temp.Combine("zipped");
        Directory.CreateDirectory(zipRoot);
        string zipPath = Path.Combine(zipRoot, CelebaSource.ZipFileName);
        ZipFile.CreateFromDirectory(Path.Combine(_root, CelebaSource.ImageFolderName), zipPath, CompressionLevel.Fastest, includeBaseDirectory: true);
        File.Copy(Path.Combine(_root, CelebaSource.PartitionFileName), Path.Combine(zipRoot, CelebaSource.PartitionFileName));

        using CelebaSource folder = CelebaSource.Open(_root);
        foreach (string path in new[] { zipPath, zipRoot })
        {
            using CelebaSource zip = CelebaSource.Open(path);
            Assert.True(zip.IsZip);
            Assert.Equal(zipPath, zip.Location);
            foreach (DataPartition partition in Enum.GetValues<DataPartition>())
            {
                Assert.Equal(folder.ImageNames(partition), zip.ImageNames(partition));
            }

            Assert.Equal(folder.ReadImage("000007.jpg"), zip.ReadImage("000007.jpg"));
            Assert.NotEqual(folder.Fingerprint, zip.Fingerprint);
        }

        Assert.False(Directory.Exists(Path.Combine(zipRoot, CelebaSource.ImageFolderName)));
    }

    [Fact]
    public void Open_WithoutPartitionFile_PutsEveryImageInTrain()
    {
        File.Delete(Path.Combine(_root, CelebaSource.PartitionFileName));

        using CelebaSource source = CelebaSource.Open(_root);

        Assert.Null(source.PartitionFile);
        Assert.Equal(ImageCount, source.ImageNames(DataPartition.Train).Count);
        Assert.Empty(source.ImageNames(DataPartition.Test));
    }

    [Fact]
    public void Open_MissingPath_ThrowsNamingThePath()
    {
        string missing = _temp.Combine("nowhere");

        var exception = Assert.Throws<DatasetException>(() => CelebaSource.Open(missing));
        Assert.Contains(missing, exception.Message);
    }

    [Fact]
    public void Open_FolderWithoutImages_ThrowsNamingThePath()
    {
        string empty = _temp.Combine("empty");
        Directory.CreateDirectory(Path.Combine(empty, CelebaSource.ImageFolderName));

        var exception = Assert.Throws<DatasetException>(() => CelebaSource.Open(empty));
        Assert.Contains(Path.Combine(empty, CelebaSource.ImageFolderName), exception.Message);
    }

    [Theory]
    [InlineData("000001.jpg 7", "unknown partition")]
    [InlineData("000001.jpg", "expected")]
    [InlineData("000001.jpg 0 extra", "expected")]
    public void Open_BadPartitionLine_ThrowsNamingFileAndLine(string badLine, string why)
    {
        string partitionFile = Path.Combine(_root, CelebaSource.PartitionFileName);
        File.WriteAllLines(partitionFile, ["000002.jpg 0", "", badLine]);

        var exception = Assert.Throws<DatasetException>(() => CelebaSource.Open(_root));
        Assert.Contains($"{partitionFile} line 3", exception.Message);
        Assert.Contains(why, exception.Message);
    }

    [Fact]
    public void Fingerprint_IsStable_AndChangesWithTheFiles()
    {
        string first;
        using (CelebaSource source = CelebaSource.Open(_root))
        {
            first = source.Fingerprint;
        }

        using (CelebaSource again = CelebaSource.Open(_root))
        {
            Assert.Equal(first, again.Fingerprint);
        }

        File.WriteAllBytes(Path.Combine(_root, CelebaSource.ImageFolderName, "999999.jpg"), TestImages.FaceJpeg());
        using CelebaSource changed = CelebaSource.Open(_root);
        Assert.NotEqual(first, changed.Fingerprint);
        Assert.Equal("999999.jpg", changed.ImageNames(DataPartition.Train)[^1]);
    }

    public void Dispose() => _temp.Dispose();
}
