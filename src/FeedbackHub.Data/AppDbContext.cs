using FeedbackHub.Data.Analytics;
using FeedbackHub.Data.ApiKeys;
using FeedbackHub.Data.Auditing;
using FeedbackHub.Data.Campaigns;
using FeedbackHub.Data.Churn;
using FeedbackHub.Data.Customers;
using FeedbackHub.Data.Database;
using FeedbackHub.Data.Email;
using FeedbackHub.Data.Orders;
using FeedbackHub.Data.Reasons;
using FeedbackHub.Data.Staff;
using FeedbackHub.Data.Subscriptions;
using FeedbackHub.Data.Surveys;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace FeedbackHub.Data;

/// <summary>The one application database: business data, staff identity and data-protection keys.</summary>
public sealed class AppDbContext(DbContextOptions<AppDbContext> options)
    : IdentityDbContext<StaffUser>(options), IDataProtectionKeyContext
{
    public DbSet<Customer> Customers => Set<Customer>();

    public DbSet<Order> Orders => Set<Order>();

    public DbSet<SubscriptionEvent> SubscriptionEvents => Set<SubscriptionEvent>();

    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();

    public DbSet<OutboxEmail> OutboxEmails => Set<OutboxEmail>();

    public DbSet<Suppression> Suppressions => Set<Suppression>();

    public DbSet<EmailTextBlock> EmailTextBlocks => Set<EmailTextBlock>();

    public DbSet<Campaign> Campaigns => Set<Campaign>();

    public DbSet<CampaignVariant> CampaignVariants => Set<CampaignVariant>();

    public DbSet<CampaignAssignment> CampaignAssignments => Set<CampaignAssignment>();

    public DbSet<DiscountCode> DiscountCodes => Set<DiscountCode>();

    public DbSet<ThankYou> ThankYous => Set<ThankYou>();

    public DbSet<ChurnEvent> ChurnEvents => Set<ChurnEvent>();

    public DbSet<SurveyVersion> SurveyVersions => Set<SurveyVersion>();

    public DbSet<SurveyInvitation> SurveyInvitations => Set<SurveyInvitation>();

    public DbSet<SurveyResponse> SurveyResponses => Set<SurveyResponse>();

    public DbSet<WinBackOffer> WinBackOffers => Set<WinBackOffer>();

    public DbSet<ReasonModel> ReasonModels => Set<ReasonModel>();

    public DbSet<CustomReason> CustomReasons => Set<CustomReason>();

    public DbSet<SetupToken> SetupTokens => Set<SetupToken>();

    public DbSet<AuditEntry> AuditLog => Set<AuditEntry>();

    public DbSet<CustomerMonth> CustomerMonths => Set<CustomerMonth>();

    public DbSet<SummaryChange> SummaryChanges => Set<SummaryChange>();

    public DbSet<CampaignOutcome> CampaignOutcomes => Set<CampaignOutcome>();

    public DbSet<LostRevenue> LostRevenues => Set<LostRevenue>();

    public DbSet<DiscountHistory> DiscountHistories => Set<DiscountHistory>();

    public DbSet<ReportMonth> ReportMonths => Set<ReportMonth>();

    public DbSet<SummaryState> SummaryStates => Set<SummaryState>();

    /// <summary>Shared by every node and the command line, so cookies and invitation links work everywhere.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(AppDbContext).Assembly);
        // SQLite refuses to add a STORED generated column to a table that has rows, so there the column is
        // VIRTUAL (computed when read; its index is stored all the same). PostgreSQL 15 only has STORED.
        builder.Entity<SurveyResponse>().Property(r => r.EffectiveReason)
            .HasComputedColumnSql(SurveyLimits.EffectiveReasonSql, stored: !Database.IsSqlite());
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);
        if (Database.IsSqlite())
        {
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
            configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<UtcTicksConverter>();
            configurationBuilder.Properties<decimal>().HaveConversion<ScaledDecimalConverter>();
        }
        else
        {
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcNormalizingConverter>();
            configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<UtcNormalizingConverter>();
        }
    }
}
