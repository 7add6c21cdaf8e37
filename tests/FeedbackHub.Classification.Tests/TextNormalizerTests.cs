using FeedbackHub.Classification.Text;

namespace FeedbackHub.Classification.Tests;

public sealed class TextNormalizerTests
{
    [Theory]
    [InlineData("Te DUUR!!!", "te duur")]
    [InlineData("  Café   crème, s'il vous plaît ", "cafe creme sil vous plait")]
    [InlineData("Überhaupt naïef ĳs", "uberhaupt naief ijs")]
    [InlineData("Sooooo expensive", "soo expensive")]
    [InlineData("Heeeeel slecht", "heel slecht")]
    [InlineData("It cost €15,99 or $20 (1.000 times!)", "it cost $ 0 or $ 0 0 times")]
    [InlineData("10euro per box", "0 euro per box")]
    [InlineData("50% korting", "0 korting")]
    [InlineData("", "")]
    [InlineData("?!...", "")]
    public void Normalize_Text_FoldsCaseAccentsNumbersAndPunctuation(string input, string expected)
    {
        Assert.Equal(expected, TextNormalizer.Normalize(input));
    }

    [Theory]
    [InlineData("I don't like it", "i do not like it")]
    [InlineData("I can't and won't", "i can not and will not")]
    [InlineData("It wasn't good, isn’t it", "it was not good is not it")]
    [InlineData("dont cant didnt", "do not can not did not")]
    [InlineData("They're late, I've waited, we'll see, I'm done, I'd leave", "they are late i have waited we will see i am done i would leave")]
    [InlineData("it's the company's fault", "it is the company fault")]
    [InlineData("'t Was 'n drama met m'n pakket", "het was een drama met mijn pakket")]
    [InlineData("da's z'n probleem, kheb het nie", "dat is zijn probleem ik heb het niet")]
    [InlineData("de foto's", "de foto")]
    [InlineData("u r late pls", "you r late please")]
    public void Normalize_Contractions_AreWrittenOut(string input, string expected)
    {
        Assert.Equal(expected, TextNormalizer.Normalize(input));
    }

    [Fact]
    public void Normalize_SpanOverload_MatchesStringOverloadAndRespectsBound()
    {
        const string text = "Ik vond 't niet goed, the price wasn't OK!!! 12,50 € per maand";
        Span<char> destination = stackalloc char[TextNormalizer.GetMaxNormalizedLength(text.Length)];

        var length = TextNormalizer.Normalize(text, destination);

        Assert.Equal(TextNormalizer.Normalize(text), destination[..length].ToString());
    }

    [Fact]
    public void Normalize_WorstCaseExpansion_FitsTheAdvertisedBound()
    {
        var text = string.Concat(Enumerable.Repeat("u € bc ", 200));
        Span<char> destination = new char[TextNormalizer.GetMaxNormalizedLength(text.Length)];

        var length = TextNormalizer.Normalize(text, destination);

        Assert.True(length <= destination.Length);
        Assert.StartsWith("you $ because you $", destination[..length].ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Normalize_DestinationTooShort_Throws()
    {
        Assert.Throws<ArgumentException>(() => TextNormalizer.Normalize("te duur", new char[3]));
    }
}
