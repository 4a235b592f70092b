using Hub.Analytics.Jobs;
using static Hub.Tests.Support.ConfigTestLoader;

namespace Hub.Tests.Config.Sections;

public sealed class JobReaderTests
{
    [Fact]
    public void A_job_section_is_read_with_its_cron_time_zone_chain_misfire_and_typed_settings()
    {
        var config = LoadValid(WithLog(
            "[job:learn]\nkind = profile\nschedule = 0 30 2 * * ?\ntimezone = Europe/Berlin\nseries = sensors/+/temp#value\nwindow = 14d\nmisfire = skip\n\n" +
            "[job:predict]\nkind = forecast\nschedule = 1h\nafter = learn\nseries = sensors/+/temp\nabove = 30\n"));

        Assert.Empty(config.Sections);
        Assert.Equal(["learn", "predict"], config.Jobs.Select(j => j.Name));
        var learn = config.Jobs[0];
        Assert.Equal(("profile", "0 30 2 * * ?", "Europe/Berlin", JobMisfire.Skip), (learn.Kind, learn.Cron, learn.TimeZone.Id, learn.Misfire));
        Assert.Equal(TimeSpan.FromDays(14), learn.Duration("window"));
        Assert.Equal(TimeSpan.FromHours(1), learn.Duration("step"));
        Assert.Equal(["sensors/+/temp#value"], learn.Names("series"));
        var predict = config.Jobs[1];
        Assert.Equal((TimeSpan.FromHours(1), (string?)null, JobMisfire.RunOnce), (predict.Interval!.Value, predict.Cron, predict.Misfire));
        Assert.Equal(["learn"], predict.After);
        Assert.Equal(30.0, predict.Number("above"));
        Assert.Null(predict.Number("below"));
    }

    [Theory]
    [InlineData("kind = profile\nschedule = 0 61 * * * ?\nseries = a", 3, "'schedule' is not a valid cron expression")]
    [InlineData("kind = profile\nschedule = soon\nseries = a", 3, "'schedule' must be an interval")]
    [InlineData("kind = profile\ntimezone = Mars/Olympus\nseries = a", 3, "Unknown time zone 'Mars/Olympus'")]
    [InlineData("kind = divination", 2, "Unknown job kind 'divination' (known: correlation, forecast, profile, report)")]
    [InlineData("schedule = 1h", 1, "A job needs 'kind ='")]
    [InlineData("kind = profile\nmisfire = sometimes\nseries = a", 3, "'misfire' must be run_once or skip")]
    [InlineData("kind = profile", 1, "needs 'series ='")]
    [InlineData("kind = forecast\nseries = a\nhorizon = tomorrow", 4, "'horizon' must be a duration")]
    [InlineData("kind = forecast\nseries = a\nabove = high", 4, "'above' must be a number")]
    [InlineData("kind = profile\nseries = a\nperiods = 1d, weekly", 4, "'periods' must be 'auto' or durations")]
    [InlineData("kind = profile\nseries = a\nafter = nobody", 4, "'after' names an unknown job 'nobody'")]
    public void A_bad_job_key_is_an_error_at_its_line(string body, int line, string message)
    {
        var preamble = WithLog("");
        var offset = preamble.Count(c => c == '\n');
        AssertError(Load(preamble + "[job:x]\n" + body + "\n"), offset + line, message);
    }

    [Fact]
    public void Jobs_chained_in_a_cycle_are_an_error_naming_the_cycle()
    {
        var result = Load("[job:a]\nkind = report\ntargets = log:info\nafter = c\n\n[job:b]\nkind = report\ntargets = log:info\nafter = a\n\n[job:c]\nkind = report\ntargets = log:info\nafter = b\n");

        AssertError(result, 4, "Jobs chained in a cycle: a -> c -> b -> a");
        Assert.Single(result.Errors, e => e.Message.Contains("cycle", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_problem_of_a_job_file_is_reported_at_once()
    {
        var result = Load("[job:a]\nkind = profile\nschedule = 0 0 25 * * ?\ntimezone = Nowhere\n\n[job:b]\nkind = nope\n");

        // The bad cron, the unknown zone, the missing series (at the header) and the unknown kind.
        Assert.Equal([1, 3, 4, 7], result.Errors.Select(e => e.Location.Line).Order());
    }

    [Fact]
    public void An_unknown_key_of_a_job_is_a_warning()
    {
        AssertWarning(Load("[job:a]\nkind = report\ntargets = log:info\ncolour = blue\n"), 4, "Unknown key 'colour' for a report job is ignored");
    }

    [Fact]
    public void A_job_section_is_not_a_topic_section_so_mqttwarn_files_stay_valid()
    {
        var config = LoadValid(WithLog("[sensors/#]\ntargets = log:info\n\n[job:weekly]\nkind = report\nschedule = 0 0 8 ? * MON\ntargets = log:info\n"));

        Assert.Equal(["sensors/#"], config.Sections.Select(s => s.Name));
        Assert.Single(config.Jobs);
    }
}
