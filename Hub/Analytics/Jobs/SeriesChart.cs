using OxyPlot;
using OxyPlot.Axes;
using OxyPlot.Series;

namespace Hub.Analytics.Jobs;

/// <summary>
/// A line chart of one series as SVG (OxyPlot.Core's layout and SVG export: the only charting library served here, and
/// it has no PNG exporter without SkiaSharp/ImageSharp, which are not served). The report mails it inline in HTML.
/// </summary>
internal static class SeriesChart
{
    public static string Svg(string title, IReadOnlyList<(DateTimeOffset Time, double Value)> points, int width = 640, int height = 240)
    {
        var model = new PlotModel { Title = title, TitleFontSize = 13, Background = OxyColors.White };
        model.Axes.Add(new DateTimeAxis { Position = AxisPosition.Bottom, StringFormat = "MM-dd HH:mm" });
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Left });
        var line = new LineSeries { Color = OxyColor.FromRgb(0x1f, 0x77, 0xb4), StrokeThickness = 1.5 };
        foreach (var (time, value) in points)
        {
            line.Points.Add(new DataPoint(DateTimeAxis.ToDouble(time.UtcDateTime), value));
        }

        model.Series.Add(line);
        return SvgExporter.ExportToString(model, width, height, isDocument: false);
    }
}
