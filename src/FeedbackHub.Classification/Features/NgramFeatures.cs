using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using FeedbackHub.Classification.Text;

namespace FeedbackHub.Classification.Features;

/// <summary>Receives every n-gram occurrence of a text, with the tokens it came from (for explanations).</summary>
internal interface IFeatureSink
{
    /// <summary><paramref name="key"/> is <c>bucket &lt;&lt; 1 | block</c>; the n-gram spans tokens <paramref name="firstToken"/>..<paramref name="lastToken"/>.</summary>
    void Add(int key, int firstToken, int lastToken);
}

/// <summary>
/// Enumerates the hashed n-grams of a normalised text (tokens separated by single spaces) without
/// allocating: the hash of each n-gram is computed from the characters in place.
/// </summary>
internal static class NgramFeatures
{
    public const int WordBlock = 0;
    public const int CharBlock = 1;

    // Distinct seeds keep a word, a bigram and a character n-gram with the same letters apart.
    private const uint WordSeed = 0x811C9DC5;
    private const uint BigramSeed = 0x5BD1E995;
    private const uint CharSeed = 0x27D4EB2F;
    private const uint FnvPrime = 16777619;

    public static int Bucket(int key) => key >> 1;

    public static int Block(int key) => key & 1;

    /// <summary>An upper bound on the number of n-gram occurrences in <paramref name="normalized"/>.</summary>
    public static int MaxFeatureCount(ReadOnlySpan<char> normalized, TextFeaturizerOptions options)
    {
        if (normalized.IsEmpty)
        {
            return 0;
        }

        var tokens = normalized.Count(' ') + 1;
        var charSizes = options.CharNgramMaxLength == 0 ? 0 : options.CharNgramMaxLength - options.CharNgramMinLength + 1;
        // Each token of length L (padded L+2) has at most L+2 n-grams of each size.
        return (2 * tokens) + (charSizes * (normalized.Length + tokens + 1));
    }

    /// <summary>Feeds every n-gram occurrence to the sink, in text order.</summary>
    public static void Enumerate<TSink>(ReadOnlySpan<char> normalized, TextFeaturizerOptions options, ref TSink sink)
        where TSink : IFeatureSink, allows ref struct
    {
        var mask = (1 << options.HashBits) - 1;
        var bigrams = options.WordNgramLength >= 2;
        var charMin = options.CharNgramMinLength;
        var charMax = options.CharNgramMaxLength;
        var stem = options.StemWords;
        var previousHash = 0u;
        var token = 0;
        var position = 0;
        while (position < normalized.Length)
        {
            var end = normalized[position..].IndexOf(' ');
            var word = end < 0 ? normalized[position..] : normalized.Slice(position, end);
            position += word.Length + 1;

            var wordHash = Fnv(stem ? word[..LightStemmer.StemLength(word)] : word, WordSeed);
            sink.Add(Key(Mix(wordHash), mask, WordBlock), token, token);
            if (bigrams && token > 0)
            {
                sink.Add(Key(Mix((previousHash * 0x9E3779B1u) ^ wordHash ^ BigramSeed), mask, WordBlock), token - 1, token);
            }

            if (charMax > 0)
            {
                AddCharNgrams(word, charMin, charMax, mask, token, ref sink);
            }

            previousHash = wordHash;
            token++;
        }
    }

    /// <summary>Character n-grams of " word " (padded), each hashed incrementally from its start.</summary>
    private static void AddCharNgrams<TSink>(ReadOnlySpan<char> word, int min, int max, int mask, int token, ref TSink sink)
        where TSink : IFeatureSink, allows ref struct
    {
        var padded = word.Length + 2;
        for (var start = 0; start < padded; start++)
        {
            var hash = CharSeed;
            var longest = Math.Min(max, padded - start);
            for (var n = 1; n <= longest; n++)
            {
                var p = start + n - 1;
                var c = p == 0 || p == padded - 1 ? ' ' : word[p - 1];
                hash = (hash ^ c) * FnvPrime;
                if (n >= min)
                {
                    sink.Add(Key(Mix(hash), mask, CharBlock), token, token);
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Key(uint hash, int mask, int block) => ((int)(hash & (uint)mask) << 1) | block;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Fnv(ReadOnlySpan<char> text, uint seed)
    {
        var hash = seed;
        foreach (var c in text)
        {
            hash = (hash ^ c) * FnvPrime;
        }

        return hash;
    }

    /// <summary>MurmurHash3's finaliser: spreads FNV's weak low bits over the whole word before masking.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static uint Mix(uint hash)
    {
        hash ^= hash >> 16;
        hash *= 0x85EBCA6B;
        hash ^= hash >> 13;
        hash *= 0xC2B2AE35;
        hash ^= hash >> 16;
        return hash;
    }
}

/// <summary>Counts distinct n-gram keys in caller-provided buffers (an open-addressing table): no allocation.</summary>
internal ref struct FeatureCounter : IFeatureSink
{
    private readonly Span<int> _slots;
    private readonly Span<int> _keys;
    private readonly Span<float> _counts;
    private readonly int _shift;

    /// <param name="slots">Zeroed, a power of two at least twice the feature bound.</param>
    /// <param name="keys">At least the feature bound long.</param>
    /// <param name="counts">As long as <paramref name="keys"/>.</param>
    public FeatureCounter(Span<int> slots, Span<int> keys, Span<float> counts)
    {
        _slots = slots;
        _keys = keys;
        _counts = counts;
        _shift = 32 - BitOperations.Log2((uint)slots.Length);
    }

    public int Count { get; private set; }

    /// <summary>The slot table size for <paramref name="maxFeatures"/> occurrences (load factor at most one half).</summary>
    public static int SlotCount(int maxFeatures) => (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, maxFeatures * 2));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(int key, int firstToken, int lastToken)
    {
        // Unchecked indexing: slots is a power of two (masked), entries stay below the bound by construction.
        ref var slots = ref MemoryMarshal.GetReference(_slots);
        ref var keys = ref MemoryMarshal.GetReference(_keys);
        var mask = (uint)_slots.Length - 1;
        var slot = ((uint)key * 0x9E3779B1u) >> _shift;
        while (true)
        {
            var entry = Unsafe.Add(ref slots, slot);
            if (entry == 0)
            {
                Unsafe.Add(ref keys, Count) = key;
                Unsafe.Add(ref MemoryMarshal.GetReference(_counts), Count) = 1;
                Count++;
                Unsafe.Add(ref slots, slot) = Count;
                return;
            }

            if (Unsafe.Add(ref keys, entry - 1) == key)
            {
                Unsafe.Add(ref MemoryMarshal.GetReference(_counts), entry - 1)++;
                return;
            }

            slot = (slot + 1) & mask;
        }
    }
}
