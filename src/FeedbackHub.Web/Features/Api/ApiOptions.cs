using System.ComponentModel.DataAnnotations;

namespace FeedbackHub.Web.Features.Api;

/// <summary>Limits of the REST API (section <c>Api</c>), checked at start-up.</summary>
public sealed class ApiOptions
{
    public const string Section = "Api";

    /// <summary>Sustained requests per second per API key.</summary>
    [Range(1, 100_000)]
    public int PermitsPerSecond { get; set; } = 20;

    /// <summary>Requests a key may make in a burst above the sustained rate.</summary>
    [Range(1, 1_000_000)]
    public int Burst { get; set; } = 100;

    /// <summary>Largest body of a single-item request, in bytes.</summary>
    [Range(1_024, 100_000_000)]
    public long MaxItemBodyBytes { get; set; } = 64 * 1024;

    /// <summary>Largest body of a batch request (up to 1,000 items), in bytes.</summary>
    [Range(1_024, 100_000_000)]
    public long MaxBatchBodyBytes { get; set; } = 4 * 1024 * 1024;
}
