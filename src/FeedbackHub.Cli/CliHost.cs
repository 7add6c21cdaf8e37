using FeedbackHub.Classification.Data;
using FeedbackHub.Classification.Model;
using FeedbackHub.Data;
using FeedbackHub.Data.Database;
using FeedbackHub.Web.Features.Surveys;
using FeedbackHub.Web.Features;
using FeedbackHub.Web.Features.ApiKeys;
using FeedbackHub.Web.Features.Database;
using FeedbackHub.Web.Features.DemoData;
using FeedbackHub.Web.Features.Email;
using FeedbackHub.Web.Features.Housekeeping;
using FeedbackHub.Web.Features.Import;
using FeedbackHub.Web.Features.Ingest;
using FeedbackHub.Web.Features.Privacy;
using FeedbackHub.Web.Features.Reasons;
using FeedbackHub.Web.Features.Staff;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FeedbackHub.Cli;

/// <summary>
/// The services a verb needs, configured exactly as in the web host, and the error handling that
/// turns an operator's mistake into one clear message and a non-zero exit.
/// </summary>
internal static class CliHost
{
    public const int Failed = 1;

    /// <summary>Builds the services, brings the schema up to date, runs the verb, prints its summary last.</summary>
    public static Task<int> RunAsync(
        Func<IServiceProvider, CancellationToken, Task<VerbResult>> verb, CancellationToken cancellationToken, bool migrateFirst = true) =>
        ReportAsync(async () =>
        {
            // No command-line arguments here: they belong to the verb, not to configuration.
            var builder = Host.CreateApplicationBuilder();
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            // Verbs report database failures themselves, in one line; EF Core would add its own
            // (and logs a harmless failed query when migrating an empty PostgreSQL database).
            builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.None);
            builder.AddSecretRedaction();
            builder.AddAppDatabase();
            builder.Services.AddStaffIdentityCore();
            builder.Services.AddEmailQueueing();
            builder.Services.AddScoped<DemoDataGenerator>();
            builder.Services.AddScoped<ApiKeyService>();
            builder.AddIngest();
            builder.AddImport();
            builder.AddHousekeeping();
            builder.AddPrivacy();
            builder.AddSurveys();
            builder.AddReasons();
            using var host = builder.Build();
            await using var scope = host.Services.CreateAsyncScope();
            if (migrateFirst)
            {
                await DatabaseMigrator.MigrateAsync(
                    scope.ServiceProvider.GetRequiredService<AppDbContext>(),
                    scope.ServiceProvider.GetRequiredService<DatabaseSettings>(),
                    cancellationToken);
            }

            return await verb(scope.ServiceProvider, cancellationToken);
        });

    /// <summary>Runs a verb that needs neither the database nor the app's services (the classifier verbs).</summary>
    public static Task<int> RunWithoutDatabaseAsync(Func<CancellationToken, Task<VerbResult>> verb, CancellationToken cancellationToken) =>
        ReportAsync(() => verb(cancellationToken));

    /// <summary>
    /// Prints the verb's summary last and exits with its code; an operator's mistake becomes one
    /// <c>error:</c> line, a failed summary and a non-zero exit, never a stack trace.
    /// </summary>
    private static async Task<int> ReportAsync(Func<Task<VerbResult>> run)
    {
        try
        {
            var result = await run();
            Console.WriteLine(result.Summary);
            return result.ExitCode;
        }
        catch (Exception ex) when (ex is SettingsException or DatabaseUnavailableException or VerbFailedException or ImportFileException
            or LabeledTextCsvException or InvalidModelFileException)
        {
            return Fail(ex.Message);
        }
        catch (OptionsValidationException ex)
        {
            // A bad setting (e.g. Housekeeping:SentEmailBodyDays) is reported like in the web app: the failures, no stack trace.
            return Fail(string.Join(" ", ex.Failures));
        }
        catch (OperationCanceledException)
        {
            return Fail("Cancelled; nothing was changed by the unfinished step.");
        }
        catch (System.Data.Common.DbException ex)
        {
            // E.g. a statement that ran past its timeout: the verb failed, and the one-line summary says why.
            return Fail($"The database refused or gave up: {ex.Message}");
        }
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"error: {message}");
        Console.WriteLine(Summary.Format(("status", "failed"), ("error", message)));
        return Failed;
    }
}

/// <summary>What a verb prints last, and the exit code it ends with (0 unless something was refused).</summary>
internal sealed record VerbResult(string Summary, int ExitCode = 0)
{
    public static implicit operator VerbResult(string summary) => new(summary);
}

/// <summary>A verb could not do what was asked; the message says why and what to do.</summary>
internal sealed class VerbFailedException(string message) : Exception(message);
