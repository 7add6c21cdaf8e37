using FeedbackHub.Data;
using FeedbackHub.Data.Customers;
using FeedbackHub.Testing;
using FeedbackHub.Web.Features.Campaigns;
using FeedbackHub.Web.Features.Churn;
using FeedbackHub.Web.Features.Email;
using FeedbackHub.Web.Features.Ingest;
using FeedbackHub.Web.Features.Metrics;
using FeedbackHub.Web.Features.Email.Templates;
using FeedbackHub.Web.Features.Reasons;
using FeedbackHub.Web.Features.Surveys;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace FeedbackHub.Web.Tests;

/// <summary>
/// The email services wired as the app wires them, on a test database and a fake clock, so a test
/// can queue, dispatch and inspect without starting the whole app.
/// </summary>
public sealed class EmailHarness : IDisposable
{
    private readonly ServiceProvider _services;

    public EmailHarness(TestDatabase database, EmailOptions? options = null, DateTimeOffset? now = null, CampaignOptions? campaigns = null)
    {
        Options = options ?? new EmailOptions { FromAddress = "shop@example.nl", PostalAddress = "Example Shop, Damrak 1, 1012 LG Amsterdam" };
        Time = new FakeTimeProvider(now ?? new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero));
        var services = new ServiceCollection();
        services.AddDbContext<AppDbContext>(database.Settings.Configure);
        services.AddLogging();
        services.AddFeedbackHubMetrics();
        services.AddSingleton<TimeProvider>(Time);
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(Options));
        services.AddDataProtection().UseEphemeralDataProtectionProvider();
        services.AddSingleton<UnsubscribeLinks>();
        services.AddScoped<EmailRenderer>();
        services.AddScoped<EmailConsent>();
        services.AddScoped<Outbox>();
        services.AddSingleton(database.Settings);
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(campaigns ?? new CampaignOptions { ShopUrl = new Uri("https://shop.example.nl/") }));
        services.AddScoped<DiscountCodes>();
        services.AddScoped<ThankYouIssuer>();
        services.AddScoped<IngestService>();
        services.AddScoped<FeedbackHub.Web.Features.Auditing.AuditTrail>();
        services.AddScoped<CampaignEditor>();
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(Churn));
        services.AddScoped<ChurnDetector>();
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(Surveys));
        services.AddSingleton<SurveyLinks>();
        services.AddScoped<SurveyVersions>();
        services.AddScoped<SurveyInviter>();
        services.AddSingleton<ClassificationSignal>();
        services.AddScoped<SurveySubmissions>();
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(Reasons));
        services.AddSingleton<ActiveReasonModel>();
        services.AddScoped<ResponseClassifier>();
        services.AddScoped<ReasonCatalog>();
        services.AddScoped<ReasonReview>();
        services.AddScoped<ReasonRetrainer>();
        services.AddScoped<ReasonModelAdministration>();
        services.AddScoped<FeedbackHub.Web.Features.Surveys.Review.ExitSurveyReview>();
        _services = services.BuildServiceProvider();
    }

    public EmailOptions Options { get; }

    public ChurnOptions Churn { get; } = new();

    public SurveyOptions Surveys { get; } = new();

    public ReasonOptions Reasons { get; } = new();

    public FakeTimeProvider Time { get; }

    public IServiceProvider Services => _services;

    /// <summary>Runs <paramref name="work"/> with an outbox in a fresh unit of work, then saves.</summary>
    public async Task<T> WithOutboxAsync<T>(Func<Outbox, AppDbContext, Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        await using var scope = _services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var result = await work(scope.ServiceProvider.GetRequiredService<Outbox>(), db);
        await db.SaveChangesAsync();
        return result;
    }

    public Task QueueAsync(params QueuedEmail[] emails) => WithOutboxAsync(async (outbox, _) =>
    {
        foreach (var email in emails)
        {
            await outbox.QueueAsync(email, CancellationToken.None);
        }

        return 0;
    });

    public Task<QueueResult> QueueToCustomerAsync(Customer customer, string key, EmailTemplate? template = null) =>
        WithOutboxAsync((outbox, _) => outbox.QueueToCustomerAsync(
            customer, key, template ?? EmailTemplates.ThankYou, (template ?? EmailTemplates.ThankYou).SampleValues, null, CancellationToken.None));

    /// <summary>Stores a customer with marketing consent (Dutch unless told otherwise).</summary>
    public async Task<Customer> AddCustomerAsync(string email, string locale = CustomerLocales.Dutch, bool consent = true)
    {
        await using var scope = _services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var customer = new Customer
        {
            ExternalId = $"c-{email}",
            Email = email,
            FirstName = "Sam",
            Locale = locale,
            MarketingConsent = consent,
            CreatedAt = Time.GetUtcNow(),
            UpdatedAt = Time.GetUtcNow(),
        };
        db.Customers.Add(customer);
        await db.SaveChangesAsync();
        return customer;
    }

    public OutboxDispatcher Dispatcher(MailTransportPool transports) =>
        new(_services.GetRequiredService<IServiceScopeFactory>(), transports,
            Microsoft.Extensions.Options.Options.Create(Options), Time, _services.GetRequiredService<FeedbackHubMetrics>(), NullLogger<OutboxDispatcher>.Instance);

    public static MailTransportPool Smtp(int port) =>
        new(() => new SmtpMailTransport(new SmtpSettings { Host = "127.0.0.1", Port = port }));

    /// <summary>Dispatches until a round finds nothing due; returns how many emails were handled.</summary>
    public static async Task<int> DrainAsync(OutboxDispatcher dispatcher)
    {
        ArgumentNullException.ThrowIfNull(dispatcher);
        var total = 0;
        for (var batch = await dispatcher.DispatchOnceAsync(CancellationToken.None); batch > 0; batch = await dispatcher.DispatchOnceAsync(CancellationToken.None))
        {
            total += batch;
        }

        return total;
    }

    public void Dispose() => _services.Dispose();
}
