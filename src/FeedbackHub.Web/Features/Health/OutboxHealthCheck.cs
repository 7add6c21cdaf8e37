using FeedbackHub.Data;
using FeedbackHub.Data.Email;
using FeedbackHub.Web.Features.Email;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace FeedbackHub.Web.Features.Health;

/// <summary>
/// Degraded when the oldest email that is due has waited longer than <see cref="DispatcherSettings.MaxLag"/>:
/// mail is piling up because the dispatchers are stopped or too slow, or the relay keeps refusing it.
/// Nothing is lost meanwhile, so the node stays in service.
/// </summary>
public sealed class OutboxHealthCheck(AppDbContext db, IOptions<EmailOptions> options, TimeProvider time) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var maxLag = options.Value.Dispatcher.MaxLag;
        // The same filter and order the dispatcher claims by, so the query uses its index.
        var oldestDue = await db.OutboxEmails.AsNoTracking()
            .Where(e => e.Status == OutboxStatus.Pending && e.NotBefore <= now)
            .OrderBy(e => e.NotBefore).Select(e => (DateTimeOffset?)e.NotBefore)
            .FirstOrDefaultAsync(cancellationToken);
        if (oldestDue is not { } due || now - due <= maxLag)
        {
            return HealthCheckResult.Healthy($"No due email has waited longer than {maxLag} (Email:Dispatcher:MaxLag).");
        }

        return HealthCheckResult.Degraded(
            $"The oldest due email has waited {(now - due):d\\.hh\\:mm\\:ss}, longer than {maxLag} (Email:Dispatcher:MaxLag): the dispatchers are stopped or too slow, or the SMTP relay keeps refusing mail.");
    }
}
