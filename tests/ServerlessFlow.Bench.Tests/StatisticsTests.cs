using ServerlessFlow.Bench.Counting;
using ServerlessFlow.Bench.Reporting;

namespace ServerlessFlow.Bench.Tests;

public sealed class StatisticsTests
{
    [Theory]
    [InlineData(new double[] { 5, 1, 3 }, 3)]
    [InlineData(new double[] { 4, 1, 3, 2 }, 2.5)]
    [InlineData(new double[] { 7 }, 7)]
    public void Median_Values_IsTheMiddleOrTheMeanOfTheTwoMiddles(double[] values, double expected) =>
        Assert.Equal(expected, Statistics.Median(values));

    [Fact]
    public void Median_NoValues_IsNaN() => Assert.True(double.IsNaN(Statistics.Median([])));

    [Theory]
    [InlineData(0.50, 50)]
    [InlineData(0.95, 95)]
    [InlineData(1.00, 100)]
    [InlineData(0.001, 1)]
    public void Percentile_OneToHundred_IsTheNearestRank(double p, double expected) =>
        Assert.Equal(expected, Statistics.Percentile(Enumerable.Range(1, 100).Select(i => (double)(101 - i)), p));

    [Fact]
    public void Since_TwoSnapshots_KeepsOnlyWhatWasAddedBetweenThem()
    {
        var earlier = new RequestCounts(new Dictionary<string, long> { ["table batch"] = 3, ["queue send"] = 2 });
        var later = new RequestCounts(new Dictionary<string, long> { ["table batch"] = 5, ["queue send"] = 2, ["blob lease"] = 1 });

        var between = later.Since(earlier);

        Assert.Equal(new Dictionary<string, long> { ["table batch"] = 2, ["blob lease"] = 1 }, between.ByKind);
        Assert.Equal(3, between.Total);
    }
}
