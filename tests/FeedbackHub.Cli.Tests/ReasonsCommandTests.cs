using System.Text.RegularExpressions;
using FeedbackHub.Testing;

namespace FeedbackHub.Cli.Tests;

/// <summary>The classifier verbs run without a database, so these tests need no PostgreSQL.</summary>
public sealed partial class ReasonsCommandTests : IDisposable
{
    private const string TrainCsv = """
        text,label,language
        too expensive,price,en
        the price is too high,price,en
        "cheaper elsewhere, honestly",price,en
        te duur,price,nl
        de prijs is te hoog,price,nl
        support never answered,service,en
        rude support staff,service,en
        klantenservice reageert niet,service,nl
        de klantenservice was onbeschoft,service,nl
        slow replies from support,service,en
        the app keeps crashing,experience,en
        it arrived broken,experience,en
        de app crasht,experience,nl
        kapot aangekomen,experience,nl
        the food was bland,experience,en
        moving abroad,other,en
        I moved to Spain,other,en
        ik ga verhuizen,other,nl
        niet meer nodig,other,nl
        no longer needed,other,en
        """;

    private const string TestCsv = """
        text,label
        way too expensive,price
        support was rude,service
        the app crashed again,experience
        we are moving abroad,other
        veel te duur,price
        """;

    private readonly TemporaryDirectory _data = new();

    [Fact]
    public async Task Evaluate_WithTrain_LastLineIsExactlyTheMetrics()
    {
        var result = await Cli().RunAsync(["reasons", "evaluate", "--train", Write("train.csv", TrainCsv), "--test", Write("test.csv", TestCsv)]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches(MetricsLine(), result.LastOutputLine);
        Assert.EndsWith(" n=5", result.LastOutputLine, StringComparison.Ordinal);
        Assert.Contains("confusion matrix", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("precision", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluate_DefaultModel_NeedsNoTrainingFile()
    {
        var result = await Cli().RunAsync(["reasons", "evaluate", "--test", Write("test.csv", TestCsv)]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches(MetricsLine(), result.LastOutputLine);
        Assert.False(File.Exists(Path.Combine(_data.Path, "feedbackhub.db")), "the reasons verbs must not create a database");
    }

    [Fact]
    public async Task TrainThenPredictAndEvaluate_ModelFile_IsUsed()
    {
        var cli = Cli();
        var model = Path.Combine(_data.Path, "models", "mine.fhmodel");

        var trained = await cli.RunAsync(["reasons", "train", "--input", Write("train.csv", TrainCsv), "--output", model]);
        var predicted = await cli.RunAsync(["reasons", "predict", "the price is far too high", "--model", model]);
        var evaluated = await cli.RunAsync(["reasons", "evaluate", "--test", Write("test.csv", TestCsv), "--model", model]);

        Assert.True(trained.ExitCode == 0, trained.ToString());
        var summary = CliRunner.ParseSummary(trained);
        Assert.Equal("ok", summary["status"]);
        Assert.Equal("20", summary["examples"]);
        Assert.True(File.Exists(model));
        Assert.True(predicted.ExitCode == 0, predicted.ToString());
        var prediction = CliRunner.ParseSummary(predicted);
        Assert.Equal("price", prediction["label"]);
        Assert.Equal(summary["version"], prediction["model"]);
        Assert.Contains("price", prediction["explanation"].Split(';'));
        Assert.Matches(MetricsLine(), evaluated.LastOutputLine);
    }

    [Fact]
    public async Task Predict_DefaultModel_PrintsProbabilitiesAndExplanation()
    {
        var result = await Cli().RunAsync(["reasons", "predict", "De klantenservice reageerde nooit op mijn mails"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("service", CliRunner.ParseSummary(result)["label"]);
        Assert.Contains("explanation", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("price", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CrossValidate_SmallFile_EndsWithMetricsAndFolds()
    {
        var result = await Cli().RunAsync(["reasons", "cross-validate", "--input", Write("train.csv", TrainCsv), "--folds", "2"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches(@"^macro_f1=\d\.\d{3} accuracy=\d\.\d{3} n=20 folds=2$", result.LastOutputLine);
    }

    [Fact]
    public async Task Evaluate_TestFileWithUnknownLabel_FailsNamingTheLine()
    {
        var bad = Write("bad.csv", "text,label\nte duur,price\nkapot,quality\n");

        var result = await Cli().RunAsync(["reasons", "evaluate", "--test", bad]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("error: bad.csv: line 3: unknown label 'quality'", result.StandardError, StringComparison.Ordinal);
        Assert.Equal("failed", CliRunner.ParseSummary(result)["status"]);
    }

    [Theory]
    [InlineData("text,reason\nte duur,price\n", "line 1: the header has no 'label' column")]
    [InlineData("", "The file is empty")]
    [InlineData("text,label\nte duur,price\nslow,\n", "line 3: the label is empty")]
    public async Task Train_BadCsv_FailsWithAClearError(string csv, string expected)
    {
        var result = await Cli().RunAsync(["reasons", "train", "--input", Write("bad.csv", csv), "--output", Path.Combine(_data.Path, "x.fhmodel")]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(expected, result.StandardError, StringComparison.Ordinal);
        Assert.Contains(expected, CliRunner.ParseSummary(result)["error"], StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_data.Path, "x.fhmodel")));
    }

    [Fact]
    public async Task Predict_CorruptModelFile_FailsWithAClearError()
    {
        var model = Write("broken.fhmodel", "not a model at all");

        var result = await Cli().RunAsync(["reasons", "predict", "te duur", "--model", model]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("not a FeedbackHub reason model", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bench_DefaultModel_ReportsThroughput()
    {
        var result = await Cli().RunAsync(["reasons", "bench", "--seconds", "0.2"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        var summary = CliRunner.ParseSummary(result);
        Assert.True(double.Parse(summary["single_thread_per_second"], System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.True(double.Parse(summary["batch_per_second"], System.Globalization.CultureInfo.InvariantCulture) > 0);
    }

    public void Dispose() => _data.Dispose();

    private CliRunner Cli() => new(_data.Path);

    private string Write(string name, string content)
    {
        var path = _data.File(name);
        File.WriteAllText(path, content.Replace("\r\n", "\n", StringComparison.Ordinal) + (content.Length > 0 ? "\n" : ""));
        return path;
    }

    [GeneratedRegex(@"^macro_f1=\d\.\d{3} accuracy=\d\.\d{3} n=\d+$")]
    private static partial Regex MetricsLine();
}
