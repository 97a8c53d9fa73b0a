using Orleans.Gan.Data;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Orleans.Gan.Data.Synthetic;

/// <summary>
/// Draws one cartoon face in CelebA's aligned layout (178x218, eyes near y = 112, mouth near y = 150), so the
/// 108x108 centre crop holds eyes, nose, mouth and some hair, as with the real data. Skin tone, face shape, hair,
/// eyes, brows, mouth, glasses, clothes and background all vary, giving a GAN real structure to learn and a person
/// an easy way to tell a good sample from a bad one.
/// </summary>
public static class SyntheticFaceRenderer
{
    public const int Width = 178;
    public const int Height = 218;

    private static readonly Rgb24 LightestSkin = new(245, 208, 180);
    private static readonly Rgb24 DarkestSkin = new(88, 56, 38);

    private static readonly Rgb24[] HairColours =
    [
        new(24, 20, 18), new(58, 38, 26), new(96, 64, 38), new(150, 104, 58), new(206, 172, 108),
        new(150, 62, 30), new(170, 166, 160), new(226, 214, 180),
    ];

    private static readonly Rgb24[] IrisColours =
    [
        new(70, 42, 24), new(104, 70, 38), new(60, 110, 170), new(80, 130, 80), new(110, 116, 124), new(30, 24, 20),
    ];

    /// <summary>The face for image <paramref name="index"/> of a data set generated with <paramref name="seed"/>;
    /// each image has its own random stream, so images can be drawn in any order or in parallel.</summary>
    public static Image<Rgb24> Render(int seed, int index)
    {
        var random = new Random(StableSeed.Combine(seed, index, 0x0F_ACE5));
        var canvas = new PixelCanvas(Width, Height);

        canvas.FillVerticalGradient(RandomColour(random, 40, 230), RandomColour(random, 20, 200));

        float faceX = Width / 2f + Uniform(random, -4f, 4f);
        float faceY = 124f + Uniform(random, -4f, 4f);
        float faceRx = Uniform(random, 37f, 47f);
        float faceRy = Uniform(random, 50f, 60f);
        // Per-channel jitter is kept small: independent channel noise turns skin green or grey.
        Rgb24 skin = Jitter(random, PixelCanvas.Lerp(LightestSkin, DarkestSkin, (float)random.NextDouble()), 4);
        Rgb24 hair = Jitter(random, HairColours[random.Next(HairColours.Length)], 12);
        int hairLength = random.Next(3);
        bool bald = random.NextDouble() < 0.06;

        if (!bald && hairLength == 2)
        {
            // Long hair falls behind the shoulders and frames the face down to the chin and below.
            float hairRx = faceRx + Uniform(random, 10f, 20f);
            canvas.FillRectangle(faceX - hairRx, faceY - faceRy * 0.3f, faceX + hairRx, faceY + faceRy + Uniform(random, 15f, 45f), hair);
            canvas.FillEllipse(faceX, faceY + faceRy + 15f, hairRx, 30f, hair);
        }

        Rgb24 clothes = RandomColour(random, 20, 220);
        canvas.FillEllipse(faceX, Height + 28f, Uniform(random, 80f, 98f), Uniform(random, 55f, 70f), clothes, shade: 0.25f);
        float neckHalf = faceRx * Uniform(random, 0.42f, 0.52f);
        canvas.FillRectangle(faceX - neckHalf, faceY + faceRy * 0.5f, faceX + neckHalf, Height - 22f, PixelCanvas.Scale(skin, 0.82f));

        if (!bald)
        {
            canvas.FillEllipse(faceX, faceY - faceRy * 0.3f, faceRx + Uniform(random, 5f, 14f), faceRy * Uniform(random, 0.8f, 0.95f), hair, shade: 0.2f);
        }

        canvas.FillEllipse(faceX - faceRx + 1f, faceY + 2f, 6f, 10f, PixelCanvas.Scale(skin, 0.9f));
        canvas.FillEllipse(faceX + faceRx - 1f, faceY + 2f, 6f, 10f, PixelCanvas.Scale(skin, 0.9f));
        canvas.FillEllipse(faceX, faceY, faceRx, faceRy, skin, shade: 0.18f);

        if (!bald)
        {
            DrawHairline(canvas, random, hair, faceX, faceY, faceRx, faceRy);
        }

        float eyeY = faceY - faceRy * 0.12f + Uniform(random, -2f, 2f);
        float eyeOffset = faceRx * Uniform(random, 0.38f, 0.48f);
        DrawEyes(canvas, random, faceX, eyeY, eyeOffset, hair);
        DrawNose(canvas, random, skin, faceX, eyeY, faceY, faceRy);
        DrawMouth(canvas, random, skin, faceX, faceY + faceRy * Uniform(random, 0.42f, 0.5f));

        if (random.NextDouble() < 0.35)
        {
            Rgb24 blush = PixelCanvas.Lerp(skin, new Rgb24(220, 90, 90), 0.5f);
            canvas.FillEllipse(faceX - eyeOffset - 2f, eyeY + 20f, 8f, 5f, blush, opacity: 0.35f);
            canvas.FillEllipse(faceX + eyeOffset + 2f, eyeY + 20f, 8f, 5f, blush, opacity: 0.35f);
        }

        if (random.NextDouble() < 0.15)
        {
            Rgb24 frame = RandomColour(random, 10, 120);
            canvas.StrokeEllipse(faceX - eyeOffset, eyeY, 13f, 10f, 2f, frame);
            canvas.StrokeEllipse(faceX + eyeOffset, eyeY, 13f, 10f, 2f, frame);
            canvas.DrawLine(faceX - eyeOffset + 13f, eyeY - 2f, faceX + eyeOffset - 13f, eyeY - 2f, 2f, frame);
        }

        canvas.AddNoise(random, 3);
        return canvas.ToImage();
    }

    private static void DrawHairline(PixelCanvas canvas, Random random, Rgb24 hair, float faceX, float faceY, float faceRx, float faceRy)
    {
        switch (random.Next(3))
        {
            case 0:
                // Swept back: a cap whose lower edge leaves a high forehead.
                canvas.FillEllipse(faceX, faceY - faceRy * 0.95f, faceRx * 1.02f, faceRy * Uniform(random, 0.3f, 0.42f), hair, shade: 0.15f);
                break;
            case 1:
                // Straight fringe reaching towards the eyebrows.
                canvas.FillEllipse(faceX, faceY - faceRy * 0.75f, faceRx * 0.98f, faceRy * Uniform(random, 0.4f, 0.5f), hair, shade: 0.15f);
                break;
            default:
                // Side parting: a heavier sweep on one side.
                float side = random.Next(2) == 0 ? -1f : 1f;
                canvas.FillEllipse(faceX, faceY - faceRy * 0.95f, faceRx * 1.02f, faceRy * 0.32f, hair, shade: 0.15f);
                canvas.FillEllipse(faceX + side * faceRx * 0.45f, faceY - faceRy * 0.68f, faceRx * 0.62f, faceRy * Uniform(random, 0.3f, 0.4f), hair, shade: 0.15f);
                break;
        }
    }

    private static void DrawEyes(PixelCanvas canvas, Random random, float faceX, float eyeY, float eyeOffset, Rgb24 hair)
    {
        float eyeRx = Uniform(random, 6.5f, 9f);
        float eyeRy = Uniform(random, 3.2f, 4.8f);
        float irisR = eyeRy * Uniform(random, 0.95f, 1.15f);
        Rgb24 iris = Jitter(random, IrisColours[random.Next(IrisColours.Length)], 10);
        float gaze = Uniform(random, -1.5f, 1.5f);
        Rgb24 brow = PixelCanvas.Scale(hair, 0.8f);
        float browLift = Uniform(random, 8f, 13f);
        float browArch = Uniform(random, 0f, 3f);
        float browThickness = Uniform(random, 1.8f, 3.6f);

        foreach (float side in (ReadOnlySpan<float>)[-1f, 1f])
        {
            float eyeX = faceX + side * eyeOffset;
            canvas.FillEllipse(eyeX, eyeY, eyeRx, eyeRy, new Rgb24(240, 238, 232));
            canvas.FillEllipse(eyeX + gaze, eyeY, irisR, irisR, iris, shade: 0.3f);
            canvas.FillEllipse(eyeX + gaze, eyeY, irisR * 0.45f, irisR * 0.45f, new Rgb24(10, 10, 12));
            canvas.FillEllipse(eyeX + gaze + 1f, eyeY - 1f, 0.9f, 0.9f, new Rgb24(255, 255, 255));
            canvas.DrawLine(eyeX - eyeRx, eyeY, eyeX, eyeY - eyeRy, 1.3f, new Rgb24(40, 30, 28));
            canvas.DrawLine(eyeX, eyeY - eyeRy, eyeX + eyeRx, eyeY, 1.3f, new Rgb24(40, 30, 28));

            float browY = eyeY - browLift;
            canvas.DrawLine(eyeX - side * 9f, browY + 1f, eyeX, browY - browArch, browThickness, brow);
            canvas.DrawLine(eyeX, browY - browArch, eyeX + side * 10f, browY + 2f, browThickness * 0.8f, brow);
        }
    }

    private static void DrawNose(PixelCanvas canvas, Random random, Rgb24 skin, float faceX, float eyeY, float faceY, float faceRy)
    {
        Rgb24 shadow = PixelCanvas.Scale(skin, 0.72f);
        float tipY = faceY + faceRy * Uniform(random, 0.15f, 0.25f);
        float lean = Uniform(random, -2f, 2f);
        float width = Uniform(random, 4f, 7f);
        canvas.DrawLine(faceX - 2f, eyeY + 3f, faceX + lean - 1f, tipY - 2f, 1.8f, shadow, opacity: 0.8f);
        canvas.FillEllipse(faceX + lean, tipY, width, 3.5f, PixelCanvas.Scale(skin, 0.88f));
        canvas.FillEllipse(faceX + lean - width * 0.55f, tipY + 1f, 1.8f, 1.3f, PixelCanvas.Scale(skin, 0.45f));
        canvas.FillEllipse(faceX + lean + width * 0.55f, tipY + 1f, 1.8f, 1.3f, PixelCanvas.Scale(skin, 0.45f));
    }

    private static void DrawMouth(PixelCanvas canvas, Random random, Rgb24 skin, float faceX, float mouthY)
    {
        float halfWidth = Uniform(random, 9f, 15f);
        Rgb24 lips = Jitter(random, PixelCanvas.Lerp(skin, new Rgb24(180, 60, 70), Uniform(random, 0.35f, 0.7f)), 8);
        if (random.NextDouble() < 0.5)
        {
            // Open smile: dark mouth, teeth, and a skin-coloured ellipse cutting the top into a curve.
            canvas.FillEllipse(faceX, mouthY + 1f, halfWidth, 6f, lips);
            canvas.FillEllipse(faceX, mouthY + 1.5f, halfWidth * 0.85f, 4.5f, new Rgb24(70, 20, 25));
            canvas.FillEllipse(faceX, mouthY, halfWidth * 0.7f, 2.2f, new Rgb24(235, 232, 225));
            canvas.FillEllipse(faceX, mouthY - 4.5f, halfWidth * 1.1f, 3.5f, skin);
        }
        else
        {
            float lipHeight = Uniform(random, 2.5f, 4f);
            canvas.FillEllipse(faceX, mouthY - lipHeight * 0.5f, halfWidth, lipHeight, lips, shade: 0.2f);
            canvas.FillEllipse(faceX, mouthY + lipHeight * 0.6f, halfWidth * 0.9f, lipHeight * 1.1f, lips, shade: 0.2f);
            float corners = Uniform(random, -2f, 1.5f);
            canvas.DrawLine(faceX - halfWidth, mouthY + corners, faceX, mouthY + 0.5f, 1.2f, PixelCanvas.Scale(lips, 0.5f));
            canvas.DrawLine(faceX, mouthY + 0.5f, faceX + halfWidth, mouthY + corners, 1.2f, PixelCanvas.Scale(lips, 0.5f));
        }
    }

    private static float Uniform(Random random, float min, float max) => min + (float)random.NextDouble() * (max - min);

    private static Rgb24 RandomColour(Random random, int min, int max) =>
        new((byte)random.Next(min, max), (byte)random.Next(min, max), (byte)random.Next(min, max));

    private static Rgb24 Jitter(Random random, Rgb24 colour, int amount) => new(
        (byte)Math.Clamp(colour.R + random.Next(-amount, amount + 1), 0, 255),
        (byte)Math.Clamp(colour.G + random.Next(-amount, amount + 1), 0, 255),
        (byte)Math.Clamp(colour.B + random.Next(-amount, amount + 1), 0, 255));
}
