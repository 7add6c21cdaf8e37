using FeedbackHub.Web.Features.Email;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;

namespace FeedbackHub.Web.Features.Analytics.Pages;

/// <summary>
/// What every dashboard page shares: the period and filters live in the address (so a view can be
/// bookmarked and shared), a mistake in them is shown instead of figures, and each load runs its
/// reports in a scope of its own, because a page may reload while an earlier load is still running.
/// </summary>
public abstract class DashboardPage : ComponentBase, IDisposable
{
    private CancellationTokenSource? _loading;

    [Inject]
    protected IServiceScopeFactory ScopeFactory { get; set; } = default!;

    [Inject]
    private IOptions<EmailOptions> EmailOptions { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    [Inject]
    protected NavigationManager Navigation { get; set; } = default!;

    [SupplyParameterFromQuery(Name = "period")]
    public string? Period { get; set; }

    [SupplyParameterFromQuery(Name = "from")]
    public string? From { get; set; }

    [SupplyParameterFromQuery(Name = "to")]
    public string? To { get; set; }

    [SupplyParameterFromQuery(Name = "language")]
    public string? Language { get; set; }

    [SupplyParameterFromQuery(Name = "segment")]
    public string? Segment { get; set; }

    [SupplyParameterFromQuery(Name = "campaign")]
    public string? Campaign { get; set; }

    /// <summary>True when any customer filter narrows the figures (empty states then say so).</summary>
    protected bool IsFiltered => Language is not null || Segment is not null || Campaign is not null;

    [SupplyParameterFromQuery(Name = "q")]
    public string? Search { get; set; }

    protected DashboardQuery Query => new(Period, From, To, Language, Segment, Campaign, Search);

    /// <summary>The period and filter being shown; null while they have a mistake.</summary>
    protected ResolvedQuery? Resolved { get; private set; }

    protected IReadOnlyList<string> QueryErrors { get; private set; } = [];

    /// <summary>True until the figures of the current query are in.</summary>
    protected bool Loading { get; private set; } = true;

    protected TimeZoneInfo Zone => EmailOptions.Value.ShopZone;

    protected DateOnly Today => EmailOptions.Value.ShopToday(Time);

    /// <summary>The page's address without its query, e.g. "dashboards/cohorts".</summary>
    protected abstract string Path { get; }

    protected override async Task OnParametersSetAsync()
    {
        var query = Query.Resolve(Today, Zone);
        Resolved = query.Value;
        QueryErrors = [.. query.Errors.SelectMany(e => e.Value)];
        await ReloadAsync();
    }

    /// <summary>Loads the figures of the current query again (e.g. another page of a list); a load still running is cancelled.</summary>
    protected async Task ReloadAsync()
    {
        if (Resolved is null)
        {
            Loading = false;
            return;
        }

        if (_loading is not null)
        {
            await _loading.CancelAsync();
            _loading.Dispose();
        }

        _loading = new CancellationTokenSource();
        var cancellation = _loading.Token;
        Loading = true;
        try
        {
            await using var scope = ScopeFactory.CreateAsyncScope();
            await LoadAsync(scope.ServiceProvider, Resolved, cancellation);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            // A newer query replaced this one; its own load shows the figures.
            return;
        }

        Loading = false;
    }

    /// <summary>Loads the figures for <paramref name="query"/> from reports resolved out of <paramref name="services"/>.</summary>
    protected abstract Task LoadAsync(IServiceProvider services, ResolvedQuery query, CancellationToken cancellationToken);

    /// <summary>Shows another query: the address changes, and with it the figures.</summary>
    protected void Show(DashboardQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        Navigation.NavigateTo(Path + query.ToQueryString());
    }

    /// <summary>Where this table's CSV export is, for exactly the query shown.</summary>
    protected string ExportLink(string table) => $"dashboards/export/{table}.csv{Query.ToQueryString()}";

    public void Dispose()
    {
        _loading?.Cancel();
        _loading?.Dispose();
        GC.SuppressFinalize(this);
    }
}
