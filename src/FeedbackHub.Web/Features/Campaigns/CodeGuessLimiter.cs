using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace FeedbackHub.Web.Features.Campaigns;

/// <summary>
/// Stops anyone from guessing codes: each API key (or address) may ask about a limited number of
/// unknown codes per minute; past that, code checks answer 429 until the window moves on. Known codes
/// cost nothing, so a busy checkout is never slowed by its own customers.
/// </summary>
public sealed class CodeGuessLimiter(IOptions<CampaignOptions> options) : IDisposable
{
    /// <summary>The window moves on in steps of this size; a blocked caller is told to retry after one step.</summary>
    public static readonly TimeSpan Step = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, SlidingWindowRateLimiter> _limiters = new(StringComparer.Ordinal);

    public bool IsBlocked(string partition) => Limiter(partition).GetStatistics()?.CurrentAvailablePermits <= 0;

    /// <summary>Counts one unknown code against the caller.</summary>
    public void CountMiss(string partition)
    {
        using var lease = Limiter(partition).AttemptAcquire();
    }

    private SlidingWindowRateLimiter Limiter(string partition) => _limiters.GetOrAdd(partition, _ => new SlidingWindowRateLimiter(new SlidingWindowRateLimiterOptions
    {
        PermitLimit = options.Value.CodeGuessesPerMinute,
        Window = TimeSpan.FromMinutes(1),
        SegmentsPerWindow = (int)(TimeSpan.FromMinutes(1) / Step),
        QueueLimit = 0,
        AutoReplenishment = true,
    }));

    public void Dispose()
    {
        foreach (var limiter in _limiters.Values)
        {
            limiter.Dispose();
        }
    }
}
