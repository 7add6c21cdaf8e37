using FeedbackHub.Data.Campaigns;
using FeedbackHub.Web.Features.Campaigns;

namespace FeedbackHub.Web.Tests;

/// <summary>Code generation and reading, and the random split over variants and the hold-out.</summary>
public sealed class DiscountCodeTests
{
    [Fact]
    public void Alphabet_IsCrockfordBase32_WithoutAmbiguousLetters()
    {
        Assert.Equal(32, DiscountCodeFormat.Alphabet.Distinct().Count());
        Assert.DoesNotContain(DiscountCodeFormat.Alphabet, c => c is 'I' or 'L' or 'O' or 'U');
    }

    [Fact]
    public void Generate_PrefixAndTwelveRandomCharacters_AllFromTheAlphabet()
    {
        var code = DiscountCodeFormat.Generate("THX");

        Assert.StartsWith("THX", code, StringComparison.Ordinal);
        Assert.Equal(3 + 12, code.Length);
        Assert.All(code, c => Assert.Contains(c, DiscountCodeFormat.Alphabet));
    }

    [Fact]
    public void Generate_OneMillionCodes_AreAllDifferent_AndUseEveryCharacter()
    {
        var codes = new HashSet<string>(StringComparer.Ordinal);
        var seen = new HashSet<char>();
        for (var i = 0; i < 1_000_000; i++)
        {
            var code = DiscountCodeFormat.Generate(null);
            Assert.True(codes.Add(code), $"duplicate after {i} codes: {code}");
            if (seen.Count < 32)
            {
                seen.UnionWith(code);
            }
        }

        Assert.Equal(32, seen.Count);
    }

    [Theory]
    [InlineData("thx-7kq2-m9xr-4dab", "THX7KQ2M9XR4DAB")]
    [InlineData(" THX 7KQ2M9XR4DAB ", "THX7KQ2M9XR4DAB")]
    [InlineData("thx-7kq2m9xr4dab", "THX7KQ2M9XR4DAB")]
    [InlineData("A0O1IL", "A00111")]
    [InlineData("THX-7KQ2M9XR4DAU", null)]
    [InlineData("THX-7KQ2M9XR4DA!", null)]
    [InlineData("", null)]
    public void Normalize_ReadsWhatPeopleType(string input, string? expected)
    {
        Assert.Equal(expected, DiscountCodeFormat.Normalize(input));
    }

    [Fact]
    public void Display_PutsAHyphenAfterThePrefix()
    {
        Assert.Equal("THX-7KQ2M9XR4DAB", DiscountCodeFormat.Display("THX7KQ2M9XR4DAB", "THX"));
        Assert.Equal("7KQ2M9XR4DAB", DiscountCodeFormat.Display("7KQ2M9XR4DAB", null));
    }

    [Theory]
    [InlineData("THX", true)]
    [InlineData("", true)]
    [InlineData("HOLIDAY", false)]
    [InlineData("thx", false)]
    [InlineData("ABCDEFGHJ", false)]
    public void PrefixProblem_AllowsOnlyShortPrefixesFromTheAlphabet(string prefix, bool allowed)
    {
        Assert.Equal(allowed, DiscountCodeFormat.PrefixProblem(prefix) is null);
    }

    [Fact]
    public void Assignment_OverOneHundredThousandCustomers_FollowsTheSharesWithinChiSquareTolerance()
    {
        var variants = new List<CampaignVariant>
        {
            new() { Id = 1, Name = "A", Weight = 1 },
            new() { Id = 2, Name = "B", Weight = 2 },
            new() { Id = 3, Name = "C", Weight = 1 },
        };
        const int customers = 100_000;
        var counts = new Dictionary<long, int> { [0] = 0, [1] = 0, [2] = 0, [3] = 0 };
        for (var i = 0; i < customers; i++)
        {
            counts[VariantAssignment.Choose(VariantAssignment.Draw(), 0.10m, variants)?.Id ?? 0]++;
        }

        // Hold-out 10 %, then A 22.5 %, B 45 %, C 22.5 %.
        var expected = new Dictionary<long, double> { [0] = 0.10, [1] = 0.225, [2] = 0.45, [3] = 0.225 };
        var chiSquare = expected.Sum(e => Math.Pow(counts[e.Key] - (e.Value * customers), 2) / (e.Value * customers));
        // 3 degrees of freedom: 16.27 is exceeded by chance once in a thousand runs.
        Assert.True(chiSquare < 16.27, $"chi-square {chiSquare:0.00} for counts {string.Join(", ", counts)}");
    }

    [Theory]
    [InlineData(0.0, null)]
    [InlineData(0.0999, null)]
    [InlineData(0.1, 1L)]
    [InlineData(0.54, 1L)]
    [InlineData(0.56, 2L)]
    [InlineData(0.9999, 2L)]
    public void Choose_SplitsTheUnitIntervalByShareAndWeight(double draw, long? variantId)
    {
        var variants = new List<CampaignVariant> { new() { Id = 1, Name = "A", Weight = 1 }, new() { Id = 2, Name = "B", Weight = 1 } };

        Assert.Equal(variantId, VariantAssignment.Choose(draw, 0.10m, variants)?.Id);
    }

    [Fact]
    public void Draw_IsInTheUnitInterval()
    {
        Assert.All(Enumerable.Range(0, 10_000).Select(_ => VariantAssignment.Draw()), d => Assert.InRange(d, 0, 0.99999999999));
    }
}
