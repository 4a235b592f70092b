using System.Text;
using Hub.Formatting;

namespace Hub.Tests.Formatting;

public sealed class TransformationDataTests
{
    private static readonly DateTimeOffset WithMicroseconds = new DateTimeOffset(2014, 2, 17, 10, 38, 43, TimeSpan.Zero).AddTicks(9_106_910);
    private static readonly DateTimeOffset WholeSecond = new(2014, 2, 17, 23, 59, 59, TimeSpan.Zero);

    private static TimeZoneInfo Zone(int hours, int minutes = 0) =>
        TimeZoneInfo.CreateCustomTimeZone($"Test{hours}:{minutes}", new TimeSpan(hours, minutes, 0), "Test", "Test");

    public static TheoryData<DateTimeOffset, int, int, long, string, string, string, string> Times => new()
    {
        { WithMicroseconds, 1, 0, 1392633523L, "2014-02-17T10:38:43.910691Z", "2014-02-17T11:38:43.910691", "11:38", "11:38:43" },
        { WithMicroseconds, 5, 30, 1392633523L, "2014-02-17T10:38:43.910691Z", "2014-02-17T16:08:43.910691", "16:08", "16:08:43" },
        { WithMicroseconds, -10, 0, 1392633523L, "2014-02-17T10:38:43.910691Z", "2014-02-17T00:38:43.910691", "00:38", "00:38:43" },
        { WholeSecond, 1, 0, 1392681599L, "2014-02-17T23:59:59.000000Z", "2014-02-18T00:59:59", "00:59", "00:59:59" },
        { WholeSecond, 5, 30, 1392681599L, "2014-02-17T23:59:59.000000Z", "2014-02-18T05:29:59", "05:29", "05:29:59" },
        { WholeSecond, -10, 0, 1392681599L, "2014-02-17T23:59:59.000000Z", "2014-02-17T13:59:59", "13:59", "13:59:59" },
    };

    [Theory]
    [MemberData(nameof(Times))]
    public void Time_keys_come_from_one_timestamp_in_utc_and_local_time(
        DateTimeOffset now, int zoneHours, int zoneMinutes, long epoch, string utcIso, string localIso, string hhmm, string hhmmss)
    {
        var data = TransformationData.Create("t", "x"u8, now, Zone(zoneHours, zoneMinutes));

        Assert.Equal(epoch, data["_dtepoch"]);
        Assert.Equal(utcIso, data["_dtiso"]);
        Assert.Equal(localIso, data["_ltiso"]);
        Assert.Equal(hhmm, data["_dthhmm"]);
        Assert.Equal(hhmmss, data["_dthhmmss"]);
    }

    [Fact]
    public void Built_in_keys_come_in_a_fixed_order()
    {
        var data = TransformationData.Create("owntracks/jane/phone", "{\"batt\": 12}"u8, WithMicroseconds, TimeZoneInfo.Utc);

        Assert.Equal(["topic", "payload", "_dtepoch", "_dtiso", "_ltiso", "_dthhmm", "_dthhmmss"], data.Keys);
        Assert.Equal("owntracks/jane/phone", data["topic"]);
        Assert.Equal("{\"batt\": 12}", data["payload"]);
    }

    [Fact]
    public void A_sub_microsecond_fraction_counts_as_zero_microseconds_for_the_local_time()
    {
        var data = TransformationData.Create("t", ""u8, WholeSecond.AddTicks(9), TimeZoneInfo.Utc);

        Assert.Equal("2014-02-17T23:59:59", data["_ltiso"]);
        Assert.Equal("2014-02-17T23:59:59.000000Z", data["_dtiso"]);
    }

    [Fact]
    public void Payload_that_is_not_valid_utf8_stays_raw_bytes()
    {
        byte[] payload = [0x41, 0xFF, 0x42];

        var data = TransformationData.Create("t", payload, WholeSecond, TimeZoneInfo.Utc);

        Assert.Equal(payload, Assert.IsType<byte[]>(data["payload"]));
    }

    [Fact]
    public void Utf8_payload_becomes_text_with_a_bom_kept_as_python_does()
    {
        var data = TransformationData.Create("t", Encoding.UTF8.GetBytes("\uFEFFRäuber"), WholeSecond, TimeZoneInfo.Utc);

        Assert.Equal("\uFEFFRäuber", data["payload"]);
    }

    [Fact]
    public void Json_object_keys_overwrite_built_ins_in_place_and_add_new_keys_at_the_end()
    {
        var payload = "{\"payload\": \"inner\", \"topic\": \"other\", \"temp\": 21.5}"u8;
        var data = TransformationData.Create("t", payload, WholeSecond, TimeZoneInfo.Utc);

        Assert.True(TransformationData.MergeJson(data, payload, out var error));

        Assert.Null(error);
        Assert.Equal("other", data["topic"]);
        Assert.Equal("inner", data["payload"]);
        Assert.Equal(21.5, data["temp"]);
        Assert.Equal("topic", data.GetAt(0).Key);
        Assert.Equal("temp", data.GetAt(data.Count - 1).Key);
    }

    [Theory]
    [InlineData("[1, 2]")]
    [InlineData("plain text")]
    [InlineData("{\"a\": NaN}")]
    public void Payload_that_is_not_a_json_object_merges_nothing(string payload)
    {
        var bytes = Encoding.UTF8.GetBytes(payload);
        var data = TransformationData.Create("t", bytes, WholeSecond, TimeZoneInfo.Utc);

        Assert.False(TransformationData.MergeJson(data, bytes, out var error));

        Assert.NotNull(error);
        Assert.Equal(7, data.Count);
    }

    [Fact]
    public void A_json_key_given_twice_keeps_its_first_place_and_its_last_value_as_Python_does()
    {
        var payload = "{\"a\": 1, \"b\": 2, \"a\": 3}"u8;
        var data = TransformationData.Create("t", payload, WholeSecond, TimeZoneInfo.Utc);

        Assert.True(TransformationData.MergeJson(data, payload, out _));

        Assert.Equal(["a", "b"], data.Keys.Skip(7));
        Assert.Equal(3L, data["a"]);
    }

    [Fact]
    public void Json_that_breaks_after_valid_members_merges_none_of_them()
    {
        var payload = "{\"topic\": \"changed\", \"a\": 1, \"b\": }"u8;
        var data = TransformationData.Create("t", payload, WholeSecond, TimeZoneInfo.Utc);

        Assert.False(TransformationData.MergeJson(data, payload, out var error));

        Assert.NotNull(error);
        Assert.Equal(7, data.Count);
        Assert.Equal("t", data["topic"]);
    }

    [Fact]
    public void Merge_overwrites_keys_with_a_function_result()
    {
        var data = TransformationData.Create("t", ""u8, WholeSecond, TimeZoneInfo.Utc);

        TransformationData.Merge(data, new Dictionary<string, object?> { ["topic"] = "mapped", ["extra"] = 1L });

        Assert.Equal("mapped", data["topic"]);
        Assert.Equal(1L, data["extra"]);
    }

    [Fact]
    public void A_copy_is_deep_so_changes_to_it_do_not_leak_back()
    {
        var payload = "{\"o\": {\"l\": [1, {\"x\": 2}]}}"u8;
        var data = TransformationData.Create("t", payload, WholeSecond, TimeZoneInfo.Utc);
        TransformationData.MergeJson(data, payload, out _);

        var copy = TransformationData.Copy(data);
        var copiedObject = (OrderedDictionary<string, object?>)copy["o"]!;
        var copiedList = (List<object?>)copiedObject["l"]!;
        ((OrderedDictionary<string, object?>)copiedList[1]!)["x"] = 3L;
        copiedList.Add("new");
        copy["topic"] = "changed";

        Assert.Equal("{'l': [1, {'x': 3}, 'new']}", PyValue.Repr(copy["o"]));
        Assert.Equal("{'l': [1, {'x': 2}]}", PyValue.Repr(data["o"]));
        Assert.Equal("t", data["topic"]);
    }

    [Fact]
    public void Merged_data_renders_through_the_formatter()
    {
        var payload = "{\"name\": \"temperature\", \"value\": 42.42}"u8;
        var data = TransformationData.Create("sensors/1", payload, WithMicroseconds, Zone(1));
        TransformationData.MergeJson(data, payload, out _);

        Assert.Equal(
            "sensors/1 temperature: 42.42 at 11:38:43",
            PyFormatter.Instance.Format("{topic} {name}: {value} at {_dthhmmss}", data));
    }
}
