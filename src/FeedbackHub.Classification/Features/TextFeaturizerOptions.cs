namespace FeedbackHub.Classification.Features;

/// <summary>
/// How a normalised text becomes a feature vector: word unigrams (and bigrams) plus character n-grams
/// inside word boundaries, hashed into 2^<see cref="HashBits"/> buckets, weighted by log term frequency
/// times IDF and L2-normalised per block (words, characters). Stored inside every model.
/// </summary>
public sealed record TextFeaturizerOptions
{
    /// <summary>The feature space has 2^HashBits buckets.</summary>
    public int HashBits { get; init; } = Defaults.HashBits;

    /// <summary>1 for word unigrams only, 2 to add word bigrams.</summary>
    public int WordNgramLength { get; init; } = Defaults.WordNgramLength;

    /// <summary>Shortest character n-gram (the word is padded with a space on both sides).</summary>
    public int CharNgramMinLength { get; init; } = Defaults.CharNgramMinLength;

    /// <summary>Longest character n-gram; 0 turns character n-grams off.</summary>
    public int CharNgramMaxLength { get; init; } = Defaults.CharNgramMaxLength;

    /// <summary>1 + ln(tf) instead of the raw count.</summary>
    public bool SublinearTermFrequency { get; init; } = Defaults.SublinearTermFrequency;

    /// <summary>Weight of the word block after its L2 normalisation.</summary>
    public float WordBlockWeight { get; init; } = Defaults.WordBlockWeight;

    /// <summary>Weight of the character block after its L2 normalisation.</summary>
    public float CharBlockWeight { get; init; } = Defaults.CharBlockWeight;

    /// <summary>
    /// Word unigrams and bigrams are hashed from a lightly stemmed word: one common Dutch or English
    /// suffix is cut (see <see cref="Text.LightStemmer"/>), so "prijzen"/"prijs" and "prices"/"price"
    /// share more features. Character n-grams always see the whole word.
    /// </summary>
    public bool StemWords { get; init; } = Defaults.StemWords;

    /// <summary>The measured best settings (see CLASSIFIER-NOTES.md); change them only with a cross-validation run.</summary>
    public static class Defaults
    {
        public const int HashBits = 18;
        public const int WordNgramLength = 2;
        public const int CharNgramMinLength = 3;
        public const int CharNgramMaxLength = 5;
        public const bool SublinearTermFrequency = true;
        public const float WordBlockWeight = 1f;
        public const float CharBlockWeight = 2f;
        public const bool StemWords = true;
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        if (HashBits is < 10 or > 24)
        {
            throw new ArgumentException($"HashBits must be between 10 and 24; it is {HashBits}.");
        }

        if (WordNgramLength is < 1 or > 2)
        {
            throw new ArgumentException($"WordNgramLength must be 1 or 2; it is {WordNgramLength}.");
        }

        if (CharNgramMaxLength != 0 && (CharNgramMinLength < 1 || CharNgramMaxLength < CharNgramMinLength || CharNgramMaxLength > 8))
        {
            throw new ArgumentException($"Character n-grams must satisfy 1 <= min <= max <= 8 (or max 0 for none); they are {CharNgramMinLength}..{CharNgramMaxLength}.");
        }

        if (!(WordBlockWeight >= 0) || !(CharBlockWeight >= 0) || WordBlockWeight + CharBlockWeight <= 0)
        {
            throw new ArgumentException("Block weights must be non-negative and not both zero.");
        }
    }
}
