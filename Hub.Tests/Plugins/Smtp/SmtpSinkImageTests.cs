using System.Text;
using Hub.Plugins;
using Hub.Tests.Support;

namespace Hub.Tests.Plugins.Smtp;

/// <summary>Inline images (the reports' charts): each by Content-ID, read back with Python's e-mail parser.</summary>
public sealed class SmtpSinkImageTests
{
    // A real 1×1 PNG.
    private static readonly byte[] Png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");

    [Fact]
    public async Task With_htmlmsg_an_image_is_a_related_part_the_html_shows_by_its_content_id()
    {
        await using var server = await SmtpServer.StartAsync();
        var sink = SmtpSinks.Create(server, ("htmlmsg", true));
        await sink.SendAsync(WithData(SmtpSinks.Mail("<p>Temperature today</p>", "Daily report", "ops@example.org"), Convert.ToBase64String(Png)), CancellationToken.None);
        await SmtpSinks.DisposeAsync(sink);

        var mail = Assert.Single(server.Messages);
        Assert.Equal(["multipart/alternative", "multipart/related"], mail.Multiparts);
        Assert.Equal(["text/plain", "text/html", "image/png"], mail.Parts.Select(p => p.Type));
        var image = mail.Parts[2];
        Assert.Equal("<image1@hub>", image.ContentId);
        Assert.Equal("inline", image.Disposition);
        Assert.Equal("image.png", image.FileName);
        Assert.Equal(Png, image.Data);
        Assert.Contains("<img src=\"cid:image1@hub\"", mail.Parts[1].Text, StringComparison.Ordinal);
        Assert.Equal("<p>Temperature today</p>\n", mail.Parts[0].Text);
        Assert.Empty(mail.Defects);
    }

    [Fact]
    public async Task Html_that_references_an_image_itself_gets_no_second_copy_of_it()
    {
        const string html = "<p>Chart:</p><img src=\"cid:image1@hub\"><p>Second:</p><img src=\"cid:image2@hub\">";
        await using var server = await SmtpServer.StartAsync();
        var sink = SmtpSinks.Create(server, ("htmlmsg", true));
        await sink.SendAsync(WithData(SmtpSinks.Mail(html, "t", "ops@example.org"), Some.List(Png, Convert.ToBase64String(Png))), CancellationToken.None);
        await SmtpSinks.DisposeAsync(sink);

        var mail = Assert.Single(server.Messages);
        Assert.Equal(html + "\n", mail.Parts.Single(p => p.Type == "text/html").Text);
        Assert.Equal(["<image1@hub>", "<image2@hub>"], mail.Parts.Where(p => p.Type == "image/png").Select(p => p.ContentId));
        Assert.Equal(["image1.png", "image2.png"], mail.Parts.Where(p => p.Type == "image/png").Select(p => p.FileName));
    }

    [Fact]
    public async Task Without_htmlmsg_an_image_payload_goes_inline_beside_the_title_as_text()
    {
        await using var server = await SmtpServer.StartAsync();
        var sink = SmtpSinks.Create(server);
        var item = SmtpSinks.Mail("ignored", "Snapshot from cam1", "ops@example.org");
        var payloadItem = new DeliveryItem
        {
            Service = item.Service, Section = item.Section, Target = item.Target, Addrs = item.Addrs, Topic = item.Topic,
            Payload = Png, Message = Encoding.UTF8.GetString(Png), MessageBytes = Png, Title = item.Title,
        };
        await sink.SendAsync(payloadItem, CancellationToken.None);
        await SmtpSinks.DisposeAsync(sink);

        var mail = Assert.Single(server.Messages);
        Assert.Equal(["multipart/mixed"], mail.Multiparts);
        Assert.Equal("Snapshot from cam1\n", mail.Parts[0].Text);
        var image = mail.Parts[1];
        Assert.Equal(("image/png", "inline", "<image1@hub>"), (image.Type, image.Disposition, image.ContentId));
        Assert.Equal(Png, image.Data);
    }

    [Fact]
    public async Task Data_imagebase64_that_is_not_base64_fails_permanently()
    {
        await using var server = await SmtpServer.StartAsync();
        var sink = SmtpSinks.Create(server);
        var error = await Assert.ThrowsAnyAsync<Exception>(async () =>
            await sink.SendAsync(WithData(SmtpSinks.Mail("x", "t", "ops@example.org"), "not base64!"), CancellationToken.None));
        await SmtpSinks.DisposeAsync(sink);
        DeliveryFailures.AssertPermanent(error);
        Assert.Contains("imagebase64", error.Message, StringComparison.Ordinal);
        Assert.Empty(server.Messages);
    }

    private static DeliveryItem WithData(DeliveryItem item, object image) => new()
    {
        Service = item.Service, Section = item.Section, Target = item.Target, Addrs = item.Addrs, Topic = item.Topic,
        Payload = item.Payload, Message = item.Message, MessageBytes = item.MessageBytes, Title = item.Title,
        Data = new Dictionary<string, object?> { ["imagebase64"] = image },
    };
}
