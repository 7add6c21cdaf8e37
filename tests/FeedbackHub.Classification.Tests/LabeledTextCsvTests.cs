using FeedbackHub.Classification.Data;

namespace FeedbackHub.Classification.Tests;

public sealed class LabeledTextCsvTests
{
    private static readonly string[] Reasons = ["price", "service", "experience", "other"];

    [Fact]
    public void Read_QuotedFieldsAndExtraColumns_AreHandled()
    {
        const string csv = "id,label,text,language\n1,price,\"Too expensive, \"\"really\"\"\",en\n2,service,\"two\nlines\",en\n\n3,other,verhuisd,nl\n";

        var examples = LabeledTextCsv.Read(new StringReader(csv), Reasons);

        Assert.Equal(
            [new LabeledText("Too expensive, \"really\"", "price"), new LabeledText("two\nlines", "service"), new LabeledText("verhuisd", "other")],
            examples);
    }

    [Fact]
    public void Read_SemicolonHeader_UsesSemicolons()
    {
        var examples = LabeledTextCsv.Read(new StringReader("text;label\nte duur, echt;price\n"));

        Assert.Equal(new LabeledText("te duur, echt", "price"), Assert.Single(examples));
    }

    [Theory]
    [InlineData("", "The file is empty")]
    [InlineData("text,reason\nte duur,price\n", "line 1: the header has no 'label' column")]
    [InlineData("label\nprice\n", "line 1: the header has no 'text' column")]
    [InlineData("text,label\nte duur,price\nslow,\n", "line 3: the label is empty")]
    [InlineData("text,label\nte duur,price\n\"two\nlines\",price\nbroken,quality\n", "line 5: unknown label 'quality'")]
    [InlineData("text,label\n,price\n", "line 2: the text is empty")]
    [InlineData("text,label\nonly-one-field\n", "line 2: expected at least 2 fields")]
    [InlineData("text,label\n\"never closed,price\n", "line 2: a quoted field is not closed")]
    [InlineData("text,label\n", "no examples")]
    public void Read_BadFile_NamesTheProblemAndLine(string csv, string expected)
    {
        var error = Assert.Throws<LabeledTextCsvException>(() => LabeledTextCsv.Read(new StringReader(csv), Reasons));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_ThenRead_RoundTrips()
    {
        var examples = new[] { new LabeledText("plain", "price"), new LabeledText("with, comma and \"quotes\"", "other") };
        var writer = new StringWriter();

        LabeledTextCsv.Write(writer, examples);

        Assert.Equal(examples, LabeledTextCsv.Read(new StringReader(writer.ToString())));
    }

    [Fact]
    public void ReasonCorpus_Bundled_IsLargeBilingualAndUsesTheFourReasons()
    {
        var corpus = ReasonCorpus.Load();

        Assert.True(corpus.Count >= 2_000, $"{corpus.Count} examples");
        Assert.Equal(Reasons.Order(StringComparer.Ordinal), corpus.Select(e => e.Label).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(corpus.Count, corpus.Select(e => e.Text).Distinct(StringComparer.Ordinal).Count());
    }
}
