using FeedbackHub.Data;
using FeedbackHub.Data.Database;

namespace FeedbackHub.Web.Features.Database;

/// <summary>Brings the database to the latest schema during start-up; the app serves nothing before that.</summary>
internal sealed partial class MigrationHostedService(
    IServiceScopeFactory scopeFactory,
    DatabaseSettings settings,
    ILogger<MigrationHostedService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var applied = await DatabaseMigrator.MigrateAsync(db, settings, cancellationToken);
        LogMigrated(settings.Provider, applied.Count, applied);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "{Provider} database is up to date; applied {Count} migration(s): {Migrations}")]
    private partial void LogMigrated(DatabaseProvider provider, int count, IReadOnlyList<string> migrations);
}
