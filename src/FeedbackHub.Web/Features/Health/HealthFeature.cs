using System.Text.Json;
using FeedbackHub.Data;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FeedbackHub.Web.Features.Health;

public static class HealthFeature
{
    public const string Path = "/healthz";

    public static IHostApplicationBuilder AddHealth(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // One instance for the app's life, so that its SMTP result is cached between polls.
        builder.Services.AddSingleton<SmtpHealthCheck>();
        builder.Services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database")
            .AddCheck<SmtpHealthCheck>("email")
            .AddCheck<OutboxHealthCheck>("outbox")
            .AddCheck<SchedulerHealthCheck>("scheduler");
        return builder;
    }

    /// <summary><c>GET /healthz</c>: 200 when every check passes, 503 otherwise, with a JSON body per check.</summary>
    public static IEndpointConventionBuilder MapHealth(this IEndpointRouteBuilder endpoints)
    {
        return endpoints.MapHealthChecks(Path, new HealthCheckOptions { ResponseWriter = WriteJsonAsync })
            .AllowAnonymous()
            .DisableHttpMetrics();
    }

    private static Task WriteJsonAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-store";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(
                entry => entry.Key,
                entry => new { status = entry.Value.Status.ToString(), description = entry.Value.Description }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, JsonSerializerOptions.Web));
    }
}

/// <summary>Healthy when the application database answers a query.</summary>
internal sealed class DatabaseHealthCheck(AppDbContext db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            return await db.Database.CanConnectAsync(cancellationToken)
                ? HealthCheckResult.Healthy("The database answers.")
                : HealthCheckResult.Unhealthy("The database does not answer.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("The database does not answer.", ex);
        }
    }
}
