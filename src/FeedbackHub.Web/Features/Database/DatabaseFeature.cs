using FeedbackHub.Data;
using FeedbackHub.Data.Database;

namespace FeedbackHub.Web.Features.Database;

public static class DatabaseFeature
{
    /// <summary>
    /// Reads and checks the storage and database settings (throwing <see cref="SettingsException"/>
    /// naming the bad one) and registers the <see cref="AppDbContext"/>. Shared by the host and the CLI.
    /// </summary>
    public static IHostApplicationBuilder AddAppDatabase(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var storage = StorageSettings.FromConfiguration(builder.Configuration);
        var database = DatabaseSettings.FromConfiguration(builder.Configuration, storage);
        builder.Services.AddSingleton(storage);
        builder.Services.AddSingleton(database);
        // The factory also registers the context as scoped; interactive pages use the factory for short-lived contexts.
        builder.Services.AddDbContextFactory<AppDbContext>(database.Configure);
        builder.Services.AddSingleton(TimeProvider.System);
        return builder;
    }

    /// <summary>Fails fast, with one clear message, when the configured database does not answer.</summary>
    public static Task EnsureDatabaseReachableAsync(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return DatabaseMigrator.EnsureReachableAsync(app.Services.GetRequiredService<DatabaseSettings>(), app.Lifetime.ApplicationStopping);
    }

    /// <summary>Applies missing migrations before anything else starts (registered first, so it runs first).</summary>
    public static IHostApplicationBuilder AddMigrationsAtStartup(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddHostedService<MigrationHostedService>();
        return builder;
    }
}
