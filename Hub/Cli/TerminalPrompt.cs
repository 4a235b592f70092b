using System.Text;

namespace Hub.Cli;

/// <summary>Reads a secret from the terminal without echoing it.</summary>
internal static class TerminalPrompt
{
    public static string ReadHidden(string prompt, TextWriter output)
    {
        output.Write(prompt);
        output.Flush();
        var text = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                output.WriteLine();
                return text.ToString();
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                text.Length = Math.Max(0, text.Length - 1);
            }
            else if (!char.IsControl(key.KeyChar))
            {
                text.Append(key.KeyChar);
            }
        }
    }
}
