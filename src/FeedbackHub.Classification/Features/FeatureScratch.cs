using FeedbackHub.Classification.Text;

namespace FeedbackHub.Classification.Features;

/// <summary>
/// One thread's reusable buffers for normalising a text and counting its distinct n-gram keys, so a
/// prediction allocates nothing per token (nor per call once the buffers have grown).
/// </summary>
internal sealed class FeatureScratch
{
    /// <summary>Longer texts are cut: a survey answer is far shorter, and the buffers stay bounded.</summary>
    public const int MaxTextLength = 10_000;

    [ThreadStatic]
    private static FeatureScratch? t_current;

    private char[] _chars = new char[1024];
    private int[] _slots = new int[2048];
    private int[] _keys = new int[1024];
    private float[] _counts = new float[1024];
    private int _normalizedLength;

    public static FeatureScratch ForCurrentThread() => t_current ??= new FeatureScratch();

    public ReadOnlySpan<char> Normalized => _chars.AsSpan(0, _normalizedLength);

    public ReadOnlySpan<int> Keys(int count) => _keys.AsSpan(0, count);

    public ReadOnlySpan<float> Counts(int count) => _counts.AsSpan(0, count);

    /// <summary>Normalises <paramref name="text"/> and counts its distinct n-gram keys; returns how many there are.</summary>
    public int Count(ReadOnlySpan<char> text, TextFeaturizerOptions options)
    {
        if (text.Length > MaxTextLength)
        {
            text = text[..MaxTextLength];
        }

        Ensure(ref _chars, TextNormalizer.GetMaxNormalizedLength(text.Length));
        _normalizedLength = TextNormalizer.Normalize(text, _chars);
        var normalized = Normalized;
        var bound = NgramFeatures.MaxFeatureCount(normalized, options);
        Ensure(ref _keys, bound);
        Ensure(ref _counts, bound);
        var slotCount = FeatureCounter.SlotCount(bound);
        Ensure(ref _slots, slotCount);
        var slots = _slots.AsSpan(0, slotCount);
        slots.Clear();
        var counter = new FeatureCounter(slots, _keys, _counts);
        NgramFeatures.Enumerate(normalized, options, ref counter);
        return counter.Count;
    }

    private static void Ensure<T>(ref T[] buffer, int length)
    {
        if (buffer.Length < length)
        {
            buffer = new T[Math.Max(length, buffer.Length * 2)];
        }
    }
}
