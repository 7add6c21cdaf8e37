using FeedbackHub.Classification.Text;

namespace FeedbackHub.Classification.Tests;

public sealed class LightStemmerTests
{
    [Theory]
    [InlineData("prijzen", "prijz")]
    [InlineData("vriendelijkheid", "vriendelijk")]
    [InlineData("bediening", "bedien")]
    [InlineData("prices", "pric")]
    [InlineData("price", "pric")]
    [InlineData("waited", "wait")]
    [InlineData("eten", "eten")]
    [InlineData("duur", "duur")]
    public void StemLength_CutsOneSuffixAndKeepsThreeLetters(string word, string stem) =>
        Assert.Equal(stem, word[..LightStemmer.StemLength(word)]);
}
