using Microsoft.EntityFrameworkCore;

namespace FeedbackHub.Web.Features;

/// <summary>One page of a staff list, with what the pager needs to show where it is.</summary>
public sealed record Paged<T>(IReadOnlyList<T> Rows, int Total, int PageNumber, int PageSize)
{
    public int PageCount => Math.Max(1, (Total + PageSize - 1) / PageSize);
}

public static class Paging
{
    /// <summary>
    /// Counts the query, then reads the requested page of it (clamped to the pages that exist, so a
    /// stale "next" after rows were removed still shows the last page). The query must be ordered.
    /// </summary>
    public static async Task<Paged<T>> PageAsync<T>(this IQueryable<T> ordered, int pageNumber, int pageSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ordered);
        var total = await ordered.CountAsync(cancellationToken);
        var page = Math.Clamp(pageNumber, 1, Math.Max(1, (total + pageSize - 1) / pageSize));
        var rows = await ordered.Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(cancellationToken);
        return new Paged<T>(rows, total, page, pageSize);
    }
}
