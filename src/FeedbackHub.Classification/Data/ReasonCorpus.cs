namespace FeedbackHub.Classification.Data;

/// <summary>The bundled exit-survey corpus and the four standard churn reasons.</summary>
public static class ReasonCorpus
{
    public const string Price = "price";
    public const string Service = "service";
    public const string Experience = "experience";
    public const string Other = "other";

    private const string Resource = "FeedbackHub.Classification.Corpus.exit-survey-reasons.csv";

    /// <summary>The four standard reasons, in the order they are shown.</summary>
    public static IReadOnlyList<string> StandardLabels { get; } = [Price, Service, Experience, Other];

    /// <summary>The labelled answers the default model is trained on (Dutch and English).</summary>
    public static IReadOnlyList<LabeledText> Load()
    {
        using var stream = typeof(ReasonCorpus).Assembly.GetManifestResourceStream(Resource)
            ?? throw new InvalidOperationException("The corpus is missing from this build.");
        using var reader = new StreamReader(stream);
        return LabeledTextCsv.Read(reader, StandardLabels.ToArray());
    }

    /// <summary>
    /// Labelled answers for throughput and training-time measurements: each starts from a corpus answer and
    /// continues with words of other answers of the same label, to <paramref name="tokens"/> words
    /// (or a random 3 to 40 words when 0). Deterministic for a seed.
    /// </summary>
    public static IReadOnlyList<LabeledText> SyntheticExamples(int count, int tokens, int seed)
    {
        var corpus = Load();
        var words = corpus.Select(e => e.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToArray();
        var byLabel = corpus.Select((e, i) => (e.Label, i)).GroupBy(p => p.Label).ToDictionary(g => g.Key, g => g.Select(p => p.i).ToArray());
        var random = new Random(seed);
        var result = new LabeledText[count];
        for (var n = 0; n < count; n++)
        {
            var first = random.Next(corpus.Count);
            var label = corpus[first].Label;
            var length = tokens > 0 ? tokens : random.Next(3, 41);
            var answer = new List<string>(length);
            var source = first;
            while (answer.Count < length)
            {
                answer.AddRange(words[source].Take(length - answer.Count));
                source = byLabel[label][random.Next(byLabel[label].Length)];
            }

            result[n] = new LabeledText(string.Join(' ', answer), label);
        }

        return result;
    }

    /// <summary>Unlabelled answers of exactly <paramref name="tokens"/> words (see <see cref="SyntheticExamples"/>).</summary>
    public static IReadOnlyList<string> SyntheticAnswers(int count, int tokens, int seed) =>
        [.. SyntheticExamples(count, tokens, seed).Select(e => e.Text)];
}
