namespace FeedbackHub.Classification.Text;

/// <summary>
/// A light, language-neutral suffix stripper for normalised Dutch and English words: it cuts at most
/// one common inflection or derivation suffix (-heid, -lijk, -ing, -tje, -en, -er, -e, -s, -ed, -ly …)
/// and keeps at least three letters. The stem is always a prefix of the word, so it costs no allocation.
/// </summary>
/// <remarks>
/// Chosen by 5-fold cross-validation on the SemEval training files and the corpus; undoubling of the
/// final consonant ("bakk" → "bak") was tried and helped Dutch but cost English and the corpus.
/// </remarks>
public static class LightStemmer
{
    private const int MinimumStem = 3;

    // Longest first within each ending, so "-heden" wins over "-en" and "-ingen" over "-en".
    private static readonly string[] Suffixes =
        ["heden", "heid", "lijke", "lijk", "ingen", "ing", "tjes", "tje", "jes", "je", "ers", "ste", "est", "ere", "ed", "en", "er", "es", "ly", "e", "s"];

    /// <summary>The length of <paramref name="word"/>'s stem (the whole word when no suffix applies).</summary>
    public static int StemLength(ReadOnlySpan<char> word)
    {
        foreach (var suffix in Suffixes)
        {
            if (word.Length - suffix.Length >= MinimumStem && word.EndsWith(suffix, StringComparison.Ordinal))
            {
                return word.Length - suffix.Length;
            }
        }

        return word.Length;
    }
}
