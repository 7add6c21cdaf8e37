using System.CommandLine;
using FeedbackHub.Web.Features.Import;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace FeedbackHub.Cli;

/// <summary><c>feedbackhub import customers|orders|subscription-events FILE [--dry-run]</c>.</summary>
internal static class ImportCommand
{
    /// <summary>Exit code when the file was imported but some rows were refused.</summary>
    public const int RowsRejected = 3;

    public static Command Create()
    {
        var kind = new Argument<string>("kind") { Description = "customers, orders or subscription-events." };
        kind.Validators.Add(result =>
        {
            if (!ImportColumns.TryParseKind(result.GetValueOrDefault<string>(), out _))
            {
                result.AddError($"'{result.GetValueOrDefault<string>()}' is not something to import; use customers, orders or subscription-events.");
            }
        });
        var file = new Argument<FileInfo>("file") { Description = "The CSV file (UTF-8; comma or semicolon separated)." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Check and count everything, store nothing." };
        var command = new Command("import", "Import a CSV file; the last line is 'inserted=N updated=N unchanged=N rejected=N'.")
        {
            kind, file, dryRun,
        };
        command.SetAction((parse, cancellationToken) => CliHost.RunAsync(async (services, ct) =>
        {
            var path = parse.GetValue(file)!;
            if (!path.Exists)
            {
                throw new VerbFailedException($"There is no file at {path.FullName}.");
            }

            if (!ImportColumns.TryParseKind(parse.GetValue(kind), out var importKind))
            {
                throw new VerbFailedException("Use customers, orders or subscription-events.");
            }

            var importer = services.GetRequiredService<CsvImporter>();
            await using var stream = new FileStream(path.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            // Progress goes to standard error, so standard output keeps only the summary.
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
            ImportResult? result = null;
            await console.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .StartAsync(async context =>
                {
                    var task = context.AddTask($"Importing {path.Name}", maxValue: Math.Max(1, stream.Length));
                    var progress = new Progress<ImportProgress>(p =>
                    {
                        task.Value = p.BytesRead;
                        task.Description = $"{p.Rows:N0} rows";
                    });
                    result = await importer.ImportAsync(stream, importKind, parse.GetValue(dryRun), progress, ct);
                    task.Value = task.MaxValue;
                });
            Report(console, result!);
            return new VerbResult(result!.Summary, result.Rejected > 0 ? RowsRejected : 0);
        }, cancellationToken));
        return command;
    }

    private static void Report(IAnsiConsole console, ImportResult result)
    {
        if (result.DryRun)
        {
            console.MarkupLine("[yellow]Dry run: nothing was stored.[/]");
        }

        if (result.IgnoredColumns.Count > 0)
        {
            console.MarkupLineInterpolated($"Ignored unknown column(s): {string.Join(", ", result.IgnoredColumns)}");
        }

        foreach (var row in result.FirstRejected.Take(10))
        {
            console.MarkupLineInterpolated($"[red]line {row.Line}[/]: {row.Reason}");
        }

        if (result.ReportPath is not null)
        {
            // Plain text: a console width must never wrap the path.
            Console.Error.WriteLine($"{result.Rejected:N0} rejected row(s), each with its line and reason, are listed in {result.ReportPath}");
        }
    }
}
