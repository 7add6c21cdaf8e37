using FeedbackHub.Data.Surveys;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FeedbackHub.Data.Reasons;

internal sealed class ReasonModelConfiguration : IEntityTypeConfiguration<ReasonModel>
{
    public void Configure(EntityTypeBuilder<ReasonModel> builder)
    {
        builder.Property(m => m.Version).HasMaxLength(ReasonLimits.ModelVersion);
        builder.Property(m => m.CreatedBy).HasMaxLength(FieldLengths.Email);
        builder.Property(m => m.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(m => m.TrainingFingerprint).HasMaxLength(ReasonLimits.Fingerprint);
        builder.Property(m => m.Note).HasMaxLength(ReasonLimits.Note);
        // At most one active version, even when two nodes promote or roll back at once. The filter reads
        // the same in SQLite (0/1) and PostgreSQL (boolean).
        builder.HasIndex(m => m.IsActive).IsUnique().HasFilter("\"IsActive\"");
        builder.HasOne<ReasonModel>().WithMany().HasForeignKey(m => m.ComparedWithModelId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class CustomReasonConfiguration : IEntityTypeConfiguration<CustomReason>
{
    public void Configure(EntityTypeBuilder<CustomReason> builder)
    {
        builder.Property(r => r.Key).HasMaxLength(SurveyLimits.ReasonKey);
        builder.HasIndex(r => r.Key).IsUnique();
        builder.Property(r => r.LabelEnglish).HasMaxLength(ReasonLimits.Label);
        builder.Property(r => r.LabelDutch).HasMaxLength(ReasonLimits.Label);
        builder.Property(r => r.CreatedBy).HasMaxLength(FieldLengths.Email);
    }
}
