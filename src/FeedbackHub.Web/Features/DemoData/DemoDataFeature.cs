namespace FeedbackHub.Web.Features.DemoData;

public static class DemoDataFeature
{
    public const string SeedFlag = "--seed-demo";
    public const string SeedAtStartupKey = "DemoData:SeedAtStartup";

    /// <summary>
    /// Seeds demo data after migrations when the run command has <c>--seed-demo</c> (or
    /// <c>DemoData:SeedAtStartup</c> is true); does nothing when demo data is already there.
    /// </summary>
    public static WebApplicationBuilder AddDemoDataAtStartup(this WebApplicationBuilder builder, IReadOnlyCollection<string> args)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(args);
        builder.Services.AddScoped<DemoDataGenerator>();
        if (args.Contains(SeedFlag, StringComparer.OrdinalIgnoreCase) || builder.Configuration.GetValue<bool>(SeedAtStartupKey))
        {
            builder.Services.AddHostedService<DemoDataSeedingService>();
        }

        return builder;
    }

    /// <summary>The arguments without our own flag, which the standard command-line configuration would reject.</summary>
    public static string[] WithoutSeedFlag(string[] args) =>
        [.. args.Where(a => !string.Equals(a, SeedFlag, StringComparison.OrdinalIgnoreCase))];
}

/// <summary>Runs the demo seed once at start-up, after the schema is in place.</summary>
internal sealed partial class DemoDataSeedingService(IServiceScopeFactory scopeFactory, ILogger<DemoDataSeedingService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<DemoDataGenerator>()
            .SeedAsync(new DemoDataOptions(), progress: null, cancellationToken);
        LogSeeded(result.AlreadyPresent, result.Customers, result.Orders, result.SubscriptionEvents, result.ChurnEvents, result.SurveyResponses, result.DiscountCodes);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Demo data (already present: {AlreadyPresent}): {Customers} customers, {Orders} orders, {Events} subscription events, {ChurnEvents} churn events, {Responses} survey answers, {Codes} discount codes")]
    private partial void LogSeeded(bool alreadyPresent, int customers, int orders, int events, int churnEvents, int responses, int codes);
}
