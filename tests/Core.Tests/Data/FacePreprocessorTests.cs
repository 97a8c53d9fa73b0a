using System.Text;
using Orleans.Gan.Data;

namespace Orleans.Gan.Core.Tests.Data;

public sealed class FacePreprocessorTests
{
    [Theory]
    [InlineData(28)]
    [InlineData(64)]
    public void Process_CelebaSizedJpeg_GivesChwBytesOfImageSize(int imageSize)
    {
        PreprocessResult result = new FacePreprocessor(imageSize).Process(TestImages.FaceJpeg());

        Assert.True(result.Succeeded, result.Message);
        Assert.Null(result.Reason);
        Assert.Equal(3 * imageSize * imageSize, result.Pixels!.Length);
        Assert.True(result.Pixels.Distinct().Count() > 20, "a face is not a flat colour");
    }

    [Fact]
    public void Process_SmallImage_CropsItsShorterSide()
    {
        PreprocessResult result = new FacePreprocessor(8).Process(TestImages.SolidJpeg(40, 30));

        Assert.True(result.Succeeded, result.Message);
        Assert.Equal(3 * 8 * 8, result.Pixels!.Length);
        Assert.InRange(result.Pixels[0], 190, 210);
        Assert.InRange(result.Pixels[64], 90, 110);
        Assert.InRange(result.Pixels[128], 40, 60);
    }

    [Fact]
    public void Constructor_ImageSizeBelowEight_NamesTheArgument()
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => new FacePreprocessor(7));
        Assert.Equal("imageSize", exception.ParamName);
    }

    public static TheoryData<string, byte[], SkipReason> BadFiles() => new()
    {
        { "zero-byte", [], SkipReason.EmptyFile },
        { "truncated", TestImages.TruncatedJpeg(), SkipReason.Truncated },
        { "text", Encoding.UTF8.GetBytes("this is not an image\n"), SkipReason.NotJpeg },
        { "png", TestImages.FacePng(), SkipReason.NotJpeg },
        { "huge jpeg", TestImages.HugeJpegHeader(), SkipReason.TooLarge },
        { "huge png", TestImages.HugePngHeader(), SkipReason.NotJpeg },
        { "jpeg marker then garbage", [0xFF, 0xD8, 0xFF, 0x00, 0x01, 0x02, 0xFF, 0xD9], SkipReason.Undecodable },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void Process_BadFile_IsRejectedWithReason(string description, byte[] file, SkipReason expected)
    {
        PreprocessResult result = new FacePreprocessor(64).Process(file);

        Assert.False(result.Succeeded, description);
        Assert.Null(result.Pixels);
        Assert.Equal(expected, result.Reason);
        Assert.False(string.IsNullOrWhiteSpace(result.Message));
    }
}
