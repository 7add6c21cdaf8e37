using System.CommandLine;
using FeedbackHub.Data;
using FeedbackHub.Data.Database;
using Microsoft.Extensions.DependencyInjection;

namespace FeedbackHub.Cli;

/// <summary><c>feedbackhub migrate</c>: applies missing migrations to the configured database.</summary>
internal static class MigrateCommand
{
    public static Command Create()
    {
        var command = new Command("migrate", "Apply missing database migrations (the web app also does this at start-up).");
        command.SetAction((_, cancellationToken) => CliHost.RunAsync(async (services, ct) =>
        {
            var settings = services.GetRequiredService<DatabaseSettings>();
            var applied = await DatabaseMigrator.MigrateAsync(services.GetRequiredService<AppDbContext>(), settings, ct);
            foreach (var migration in applied)
            {
                await Console.Error.WriteLineAsync($"applied {migration}");
            }

            return Summary.Format(("status", "ok"), ("provider", settings.Provider), ("applied", applied.Count));
        }, cancellationToken, migrateFirst: false));
        return command;
    }
}
