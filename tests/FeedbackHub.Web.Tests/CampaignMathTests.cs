using System.ComponentModel.DataAnnotations;
using FeedbackHub.Web.Features.Analytics;

namespace FeedbackHub.Web.Tests;

/// <summary>The campaign figures' arithmetic, checked against numbers worked out by hand.</summary>
public sealed class CampaignMathTests
{
    [Fact]
    public void Comparison_27PercentOf1000_Against22PercentOf1000_Is5PointsAnd50ExtraRepeaters()
    {
        // 270 treated customers bought again for 13,500.00 with 1,350.00 off; 220 of the hold-out for 11,000.00.
        var treated = new RepeatWindow(30, Matured: 1_000, Repeaters: 270, Revenue: 13_500.00m, DiscountCost: 1_350.00m);
        var holdout = new RepeatWindow(30, Matured: 1_000, Repeaters: 220, Revenue: 11_000.00m, DiscountCost: 0m);

        var comparison = HoldoutComparison.Of(treated, holdout, grossMarginPercent: 40m);

        // SE = √(0.27·0.73/1000 + 0.22·0.78/1000) = 1.92016 points; 1.96 × 1.92016 = 3.76 either side of 5.0.
        Assert.Equal((5.0m, 1.2m, 8.8m, true), (comparison.UpliftPoints, comparison.UpliftLow, comparison.UpliftHigh, comparison.Significant));
        Assert.Equal("+5.0 points (95 % interval 1.2 to 8.8)", comparison.Verdict);
        // (0.27 − 0.22) × 1000 = 50 extra repeaters; (13.50 − 11.00) × 1000 = 2,500.00 extra revenue;
        // 2,500.00 × 40 % − 1,350.00 = −350.00: the codes cost more than the margin they brought; 1,350.00 ÷ 50 = 27.00 per retained customer.
        Assert.Equal((50.0m, 2_500.00m, -350.00m, 27.00m),
            (comparison.IncrementalRepeaters, comparison.IncrementalRevenue, comparison.IncrementalMargin, comparison.CostPerRetainedCustomer));
        Assert.Equal((27.0m, 13.50m), (treated.RepeatRate, treated.RevenuePerCustomer));
    }

    [Fact]
    public void Comparison_OfUnequalGroups_ScalesTheHoldoutToTheTreatedGroup()
    {
        // Means 9,000 ÷ 800 = 11.25 against 1,500 ÷ 200 = 7.50; rates 25 % against 20 %.
        var treated = new RepeatWindow(60, 800, 200, 9_000.00m, 900.00m);
        var holdout = new RepeatWindow(60, 200, 40, 1_500.00m, 0m);

        var comparison = HoldoutComparison.Of(treated, holdout, grossMarginPercent: 35m);

        // 3.75 × 800 = 3,000.00; 3,000.00 × 35 % − 900.00 = 150.00; 0.05 × 800 = 40 extra repeaters at 900.00 ÷ 40 = 22.50.
        Assert.Equal((40.0m, 3_000.00m, 150.00m, 22.50m),
            (comparison.IncrementalRepeaters, comparison.IncrementalRevenue, comparison.IncrementalMargin, comparison.CostPerRetainedCustomer));
        Assert.False(comparison.Significant);
        Assert.EndsWith(", not significant yet", comparison.Verdict, StringComparison.Ordinal);
    }

    [Fact]
    public void Money_RoundsToCents_HalfAwayFromZero()
    {
        var holdout = new RepeatWindow(30, 2, 1, 0.25m, 0m);

        // 0.25 − 0.25 × 1 ÷ 2 = 0.125 → 0.13 (banker's rounding would give 0.12); 0.13 × 40 % − 0.10 = −0.048 → −0.05;
        // 1 − 1 × 1 ÷ 2 = 0.5 extra repeaters at 0.10 ÷ 0.5 = 0.20.
        var up = HoldoutComparison.Of(new RepeatWindow(30, 1, 1, 0.25m, 0.10m), holdout, 40m);
        // 0 − 0.25 × 2 ÷ 4 = −0.125 → −0.13; 2 − 2 × 2 ÷ 4 = 1 extra repeater for a discount of 0.125 → 0.13.
        var down = HoldoutComparison.Of(new RepeatWindow(30, 2, 2, 0m, 0.125m), new RepeatWindow(30, 4, 2, 0.25m, 0m), 40m);

        Assert.Equal((0.13m, -0.05m, 0.20m), (up.IncrementalRevenue, up.IncrementalMargin, up.CostPerRetainedCustomer));
        Assert.Equal((-0.13m, 0.13m), (down.IncrementalRevenue, down.CostPerRetainedCustomer));
        Assert.Equal((0.13m, -0.13m), (CampaignMoney.Cents(0.125m), CampaignMoney.Cents(-0.125m)));
        // 2 ÷ 3 = 66.666… % → 66.7; 0.25 ÷ 2 = 0.125 per customer → 0.13.
        Assert.Equal((66.7m, 0.13m), (new RepeatWindow(30, 3, 2, 0m, 0m).RepeatRate, holdout.RevenuePerCustomer));
    }

    [Fact]
    public void Margin_AtTheEndsOfTheSetting_IsMinusTheDiscounts_OrAllTheRevenueMinusThem()
    {
        var treated = new RepeatWindow(30, 100, 30, 1_000.00m, 150.00m);
        var holdout = new RepeatWindow(30, 100, 20, 600.00m, 0m);

        Assert.Equal(-150.00m, HoldoutComparison.Of(treated, holdout, 0m).IncrementalMargin);
        Assert.Equal(250.00m, HoldoutComparison.Of(treated, holdout, 100m).IncrementalMargin);
    }

    [Fact]
    public void Comparison_WithoutMaturedCustomersInEitherGroup_IsNoFigure()
    {
        var some = new RepeatWindow(90, 10, 3, 100m, 10m);
        var none = new RepeatWindow(90, 0, 0, 0m, 0m);

        foreach (var comparison in new[] { HoldoutComparison.Of(some, none, 40m), HoldoutComparison.Of(none, some, 40m) })
        {
            Assert.Equal(((Uplift?)null, (decimal?)null, (decimal?)null, (decimal?)null, (decimal?)null),
                (comparison.Uplift, comparison.IncrementalRepeaters, comparison.IncrementalRevenue, comparison.IncrementalMargin, comparison.CostPerRetainedCustomer));
            Assert.Equal((false, (decimal?)null, HoldoutComparison.NothingToCompare), (comparison.Significant, comparison.UpliftPoints, comparison.Verdict));
        }

        Assert.Equal(((decimal?)null, (decimal?)null), (none.RepeatRate, none.RevenuePerCustomer));
    }

    [Fact]
    public void CostPerRetainedCustomer_WhenTheCodesAddedNoRepeaters_IsNoFigure()
    {
        var holdout = new RepeatWindow(30, 100, 20, 500m, 0m);

        var same = HoldoutComparison.Of(new RepeatWindow(30, 100, 20, 500m, 80m), holdout, 40m);
        var worse = HoldoutComparison.Of(new RepeatWindow(30, 50, 5, 200m, 40m), holdout, 40m);

        Assert.Equal((0.0m, (decimal?)null, -80.00m), (same.IncrementalRepeaters, same.CostPerRetainedCustomer, same.IncrementalMargin));
        // 5 − 20 × 50 ÷ 100 = −5 repeaters; 200 − 500 × 50 ÷ 100 = −50.00.
        Assert.Equal((-5.0m, (decimal?)null, -50.00m), (worse.IncrementalRepeaters, worse.CostPerRetainedCustomer, worse.IncrementalRevenue));
    }

    [Fact]
    public void RedemptionRate_IsRedeemedOverIssued_AndNoFigureWithoutCodes()
    {
        Assert.Equal(37.5m, new CampaignGroup(1, "A", false, 10, 8, 3, []).RedemptionRate);
        Assert.Null(new CampaignGroup(null, CampaignGroup.HoldoutName, true, 10, 0, 0, []).RedemptionRate);
    }

    [Theory]
    [InlineData("0", true)]
    [InlineData("40", true)]
    [InlineData("100", true)]
    [InlineData("-0.5", false)]
    [InlineData("100.01", false)]
    public void GrossMarginPercent_OutsideZeroTo100_IsRefusedNamingTheSetting(string value, bool valid)
    {
        var options = new AnalyticsOptions { GrossMarginPercent = decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture) };
        var results = new List<ValidationResult>();

        Assert.Equal(valid, Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true));
        Assert.Equal(valid ? [] : ["Analytics:GrossMarginPercent must be between 0 and 100 percent."], results.Select(r => r.ErrorMessage));
    }
}
