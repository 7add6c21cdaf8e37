using FeedbackHub.Data.Campaigns;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FeedbackHub.Data.Surveys;

internal sealed class SurveyVersionConfiguration : IEntityTypeConfiguration<SurveyVersion>
{
    public void Configure(EntityTypeBuilder<SurveyVersion> builder)
    {
        builder.HasIndex(v => v.Number).IsUnique();
        builder.Property(v => v.CreatedBy).HasMaxLength(FieldLengths.Email);
    }
}

internal sealed class SurveyInvitationConfiguration : IEntityTypeConfiguration<SurveyInvitation>
{
    public void Configure(EntityTypeBuilder<SurveyInvitation> builder)
    {
        builder.HasOne(i => i.ChurnEvent).WithMany().HasForeignKey(i => i.ChurnEventId).OnDelete(DeleteBehavior.Cascade);
        // One invitation per churn event, even when two nodes invite at once.
        builder.HasIndex(i => i.ChurnEventId).IsUnique();
        builder.HasOne(i => i.Customer).WithMany().HasForeignKey(i => i.CustomerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(i => i.CustomerId);
        builder.Property(i => i.TokenHash).HasMaxLength(SurveyLimits.TokenHash);
        builder.HasIndex(i => i.TokenHash).IsUnique();
        builder.Property(i => i.ReminderTokenHash).HasMaxLength(SurveyLimits.TokenHash);
        builder.HasIndex(i => i.ReminderTokenHash).IsUnique();
        builder.Property(i => i.Locale).HasMaxLength(FieldLengths.Locale);
        builder.Property(i => i.SkipReason).HasMaxLength(FieldLengths.Source);
        // The reminder run looks for unanswered invitations by age.
        builder.HasIndex(i => new { i.AnsweredAt, i.CreatedAt });
    }
}

internal sealed class SurveyResponseConfiguration : IEntityTypeConfiguration<SurveyResponse>
{
    public void Configure(EntityTypeBuilder<SurveyResponse> builder)
    {
        builder.HasOne(r => r.Invitation).WithMany().HasForeignKey(r => r.InvitationId).OnDelete(DeleteBehavior.Cascade);
        // The one-submission rule lives in the database: a second insert, even a concurrent one, fails here.
        builder.HasIndex(r => r.InvitationId).IsUnique();
        builder.HasOne<Customers.Customer>().WithMany().HasForeignKey(r => r.CustomerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(r => r.CustomerId);
        builder.HasOne<SurveyVersion>().WithMany().HasForeignKey(r => r.SurveyVersionId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(r => r.Locale).HasMaxLength(FieldLengths.Locale);
        builder.Property(r => r.Reason).HasMaxLength(SurveyLimits.ReasonKey);
        builder.Property(r => r.Comment).HasMaxLength(SurveyLimits.Comment);
        builder.Property(r => r.WinBackGroup).HasConversion<string>().HasMaxLength(16);
        builder.HasOne<WinBackOffer>().WithMany().HasForeignKey(r => r.WinBackOfferId).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne(r => r.DiscountCode).WithMany().HasForeignKey(r => r.DiscountCodeId).OnDelete(DeleteBehavior.Restrict);
        // Staff lists page through responses newest first, filtered by reason.
        builder.HasIndex(r => new { r.SubmittedAt, r.Id });
        builder.HasIndex(r => new { r.Reason, r.SubmittedAt });
        builder.Property(r => r.PredictedReason).HasMaxLength(SurveyLimits.ReasonKey);
        builder.Property(r => r.PredictionExplanation).HasMaxLength(Reasons.ReasonLimits.Explanation);
        builder.HasOne<Reasons.ReasonModel>().WithMany().HasForeignKey(r => r.PredictionModelId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(r => r.HumanReason).HasMaxLength(SurveyLimits.ReasonKey);
        builder.Property(r => r.LabelledBy).HasMaxLength(FieldLengths.Email);
        // Computed by the database (see AppDbContext: stored or virtual per provider) and indexed, so
        // figures filter and group by an index instead of evaluating the rule per row.
        builder.Property(r => r.EffectiveReason).HasMaxLength(SurveyLimits.ReasonKey);
        builder.HasIndex(r => new { r.EffectiveReason, r.SubmittedAt });
        // The review queue: unlabelled predictions, least confident first.
        builder.HasIndex(r => new { r.HumanReason, r.PredictionConfidence });
        // The classifier's catch-up looks for answers with a comment and no prediction; only those are indexed.
        builder.HasIndex(r => r.Id).HasDatabaseName("IX_SurveyResponses_Unclassified").HasFilter("\"PredictedAt\" IS NULL AND \"Comment\" <> ''");
        builder.ToTable(t => t.HasCheckConstraint("CK_SurveyResponses_ComebackLikelihood", "\"ComebackLikelihood\" BETWEEN 0 AND 10"));
    }
}

internal sealed class WinBackOfferConfiguration : IEntityTypeConfiguration<WinBackOffer>
{
    public void Configure(EntityTypeBuilder<WinBackOffer> builder)
    {
        builder.Property(o => o.Reason).HasMaxLength(SurveyLimits.ReasonKey);
        builder.HasIndex(o => o.Reason).IsUnique();
        builder.Property(o => o.Kind).HasConversion<string>().HasMaxLength(16);
        builder.HasOne<Campaign>().WithMany().HasForeignKey(o => o.CampaignId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(o => o.MessageEnglish).HasMaxLength(SurveyLimits.OfferMessage);
        builder.Property(o => o.MessageDutch).HasMaxLength(SurveyLimits.OfferMessage);
        builder.Property(o => o.UpdatedBy).HasMaxLength(FieldLengths.Email);
    }
}
