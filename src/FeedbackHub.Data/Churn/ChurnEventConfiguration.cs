using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FeedbackHub.Data.Churn;

internal sealed class ChurnEventConfiguration : IEntityTypeConfiguration<ChurnEvent>
{
    public const int Explanation = 300;

    public void Configure(EntityTypeBuilder<ChurnEvent> builder)
    {
        builder.Property(e => e.Kind).HasConversion<string>().HasMaxLength(24);
        builder.Property(e => e.Explanation).HasMaxLength(Explanation);
        builder.HasOne(e => e.Customer).WithMany().HasForeignKey(e => e.CustomerId).OnDelete(DeleteBehavior.Restrict);
        // Detection asks "is there an event since this customer's last order?" for every candidate.
        builder.HasIndex(e => new { e.CustomerId, e.Kind, e.ReferenceAt });
        // Closing and inviting look at open events only.
        builder.HasIndex(e => new { e.WonBackAt, e.ChurnedAt });
        // The churn reasons dashboard reads the churns of a range of months.
        builder.HasIndex(e => e.ChurnedAt);
    }
}
