using FeedbackHub.Classification.Features;
using FeedbackHub.Classification.Text;

namespace FeedbackHub.Classification.Tests;

public sealed class NgramFeaturesTests
{
    private static readonly TextFeaturizerOptions Options = new();

    [Fact]
    public void Enumerate_SameText_GivesSameKeysEveryTime()
    {
        var first = Keys("veel te duur geworden");
        var second = Keys("veel te duur geworden");

        Assert.Equal(first, second);
        Assert.NotEmpty(first);
    }

    [Fact]
    public void Enumerate_KnownWord_HasAStableHash()
    {
        // Saved models depend on these values: a change here makes every stored model predict garbage.
        var keys = Keys("duur");

        Assert.Equal(NgramFeatures.WordBlock, NgramFeatures.Block(keys[0]));
        Assert.Equal(179_435, NgramFeatures.Bucket(keys[0]));
        Assert.Equal(1, NgramFeatures.Block(keys[1]));
    }

    [Fact]
    public void Enumerate_WordsAndBigramsAndCharacterNgrams_AreAllCounted()
    {
        // "te duur": 2 unigrams, 1 bigram; " te " has 2+1 n-grams of 3..5 characters, " duur " 4+3+2.
        var keys = Keys("te duur");

        Assert.Equal(3, keys.Count(k => NgramFeatures.Block(k) == NgramFeatures.WordBlock));
        Assert.Equal(3 + 9, keys.Count(k => NgramFeatures.Block(k) == NgramFeatures.CharBlock));
        Assert.True(keys.Length <= NgramFeatures.MaxFeatureCount("te duur", Options));
    }

    [Fact]
    public void Enumerate_WordOrder_ChangesOnlyTheBigram()
    {
        var forward = Keys("te duur").ToHashSet();
        var backward = Keys("duur te").ToHashSet();

        forward.SymmetricExceptWith(backward);

        Assert.Equal(2, forward.Count);
    }

    [Fact]
    public void FeatureScratch_RepeatedNgrams_AreCountedOnce()
    {
        var scratch = FeatureScratch.ForCurrentThread();

        var distinct = scratch.Count("duur duur duur", Options);
        var counts = scratch.Counts(distinct).ToArray();

        Assert.Equal(Keys("duur duur duur").Distinct().Count(), distinct);
        Assert.Contains(3f, counts);
        Assert.Equal("duur duur duur", scratch.Normalized.ToString());
    }

    private static int[] Keys(string text)
    {
        var normalized = TextNormalizer.Normalize(text);
        var recorder = new Recorder();
        NgramFeatures.Enumerate(normalized, Options, ref recorder);
        return [.. recorder.Keys];
    }

    private struct Recorder : IFeatureSink
    {
        public Recorder()
        {
        }

        public List<int> Keys { get; } = [];

        public readonly void Add(int key, int firstToken, int lastToken) => Keys.Add(key);
    }
}
