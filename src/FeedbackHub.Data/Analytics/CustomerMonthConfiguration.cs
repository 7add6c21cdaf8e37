using FeedbackHub.Data.Customers;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FeedbackHub.Data.Analytics;

internal sealed class CustomerMonthConfiguration :
    IEntityTypeConfiguration<CustomerMonth>, IEntityTypeConfiguration<CohortChange>, IEntityTypeConfiguration<ReportMonth>, IEntityTypeConfiguration<SummaryState>
{
    public void Configure(EntityTypeBuilder<CustomerMonth> builder)
    {
        builder.HasKey(m => new { m.CustomerId, m.Month });
        builder.HasOne<Customer>().WithMany().HasForeignKey(m => m.CustomerId).OnDelete(DeleteBehavior.Cascade);
        // The heat map counts a range of cohorts by month from this index alone (the customer is in it for a filter).
        builder.HasIndex(m => new { m.FirstMonth, m.Month, m.CustomerId });
    }

    public void Configure(EntityTypeBuilder<CohortChange> builder)
    {
        // No foreign key: a deleted customer's orders leave a change behind, which the summary then finds empty.
        builder.Property(c => c.Id).ValueGeneratedOnAdd();
    }

    public void Configure(EntityTypeBuilder<ReportMonth> builder)
    {
        builder.HasKey(m => m.Number);
        builder.Property(m => m.Number).ValueGeneratedNever();
        builder.HasIndex(m => m.StartsAt).IsUnique();
    }

    public void Configure(EntityTypeBuilder<SummaryState> builder)
    {
        builder.HasKey(s => s.Name);
        builder.Property(s => s.Name).HasMaxLength(40);
        builder.Property(s => s.TimeZone).HasMaxLength(100);
    }
}
