using Hub.Formatting;

namespace Hub.Tests.Formatting;

/// <summary>Format strings that raise in Python 3.11 (the comment gives Python's error); the hub throws FormatException.</summary>
public sealed class PythonErrorParityTests
{
    [Theory]
    [InlineData("{n:c}", "{\"n\": 1114112}")] // OverflowError: %c arg not in range(0x110000)
    [InlineData("{n:c}", "{\"n\": -1}")] // OverflowError: %c arg not in range(0x110000)
    [InlineData("{n:+c}", "{\"n\": 65}")] // ValueError: Sign not allowed with integer format specifier 'c'
    [InlineData("{n:#c}", "{\"n\": 65}")] // ValueError: Alternate form (#) not allowed with integer format specifier 'c'
    [InlineData("{n:,c}", "{\"n\": 65}")] // ValueError: Cannot specify ',' with 'c'.
    [InlineData("{n:.2}", "{\"n\": 5}")] // ValueError: Precision not allowed in integer format specifier
    [InlineData("{n:z}", "{\"n\": 5}")] // ValueError: Negative zero coercion (z) not allowed in integer format specifier
    [InlineData("{n:s}", "{\"n\": 5}")] // ValueError: Unknown format code 's' for object of type 'int'
    [InlineData("{n:q}", "{\"n\": 5}")] // ValueError: Unknown format code 'q' for object of type 'int'
    [InlineData("{n:,n}", "{\"n\": 5}")] // ValueError: Cannot specify ',' with 'n'.
    [InlineData("{n:,b}", "{\"n\": 5}")] // ValueError: Cannot specify ',' with 'b'.
    [InlineData("{n:_n}", "{\"n\": 5}")] // ValueError: Cannot specify '_' with 'n'.
    [InlineData("{n:_,}", "{\"n\": 5}")] // ValueError: Cannot specify both ',' and '_'.
    [InlineData("{n:,_}", "{\"n\": 5}")] // ValueError: Cannot specify both ',' and '_'.
    [InlineData("{n:__}", "{\"n\": 5}")] // ValueError: Cannot specify '_' with '_'.
    [InlineData("{n:.}", "{\"n\": 5}")] // ValueError: Format specifier missing precision
    [InlineData("{n:5.2.1}", "{\"n\": 5}")] // ValueError: Invalid format specifier '5.2.1' for object of type 'int'
    [InlineData("{n:%}", "{\"n\": 13582985290493858492773514283592667786034938469317445497485196697278130927542418487205392083207560592298578262953847383475038725543234929971155548342800628721885763499406390331782864144164680730766837160526223176512798435772129956553355286032203080380775759732320198985094884004069116123084147875437183658467465148948790552744165376}")] // OverflowError: int too large to convert to float
    [InlineData("{x:d}", "{\"x\": 1.0}")] // ValueError: Unknown format code 'd' for object of type 'float'
    [InlineData("{x:x}", "{\"x\": 1.0}")] // ValueError: Unknown format code 'x' for object of type 'float'
    [InlineData("{x:c}", "{\"x\": 1.0}")] // ValueError: Unknown format code 'c' for object of type 'float'
    [InlineData("{x:s}", "{\"x\": 1.0}")] // ValueError: Unknown format code 's' for object of type 'float'
    [InlineData("{x:,n}", "{\"x\": 1.0}")] // ValueError: Cannot specify ',' with 'n'.
    [InlineData("{x:#x}", "{\"x\": 1.5}")] // ValueError: Unknown format code 'x' for object of type 'float'
    [InlineData("{s:+}", "{\"s\": \"ab\"}")] // ValueError: Sign not allowed in string format specifier
    [InlineData("{s:-}", "{\"s\": \"ab\"}")] // ValueError: Sign not allowed in string format specifier
    [InlineData("{s: }", "{\"s\": \"ab\"}")] // ValueError: Space not allowed in string format specifier
    [InlineData("{s:z}", "{\"s\": \"ab\"}")] // ValueError: Negative zero coercion (z) not allowed in string format specifier
    [InlineData("{s:#}", "{\"s\": \"ab\"}")] // ValueError: Alternate form (#) not allowed in string format specifier
    [InlineData("{s:=}", "{\"s\": \"ab\"}")] // ValueError: '=' alignment not allowed in string format specifier
    [InlineData("{s:5=}", "{\"s\": \"ab\"}")] // ValueError: '=' alignment not allowed in string format specifier
    [InlineData("{s:,}", "{\"s\": \"ab\"}")] // ValueError: Cannot specify ',' with 's'.
    [InlineData("{s:_}", "{\"s\": \"ab\"}")] // ValueError: Cannot specify '_' with 's'.
    [InlineData("{s:d}", "{\"s\": \"ab\"}")] // ValueError: Unknown format code 'd' for object of type 'str'
    [InlineData("{s:r}", "{\"s\": \"ab\"}")] // ValueError: Unknown format code 'r' for object of type 'str'
    [InlineData("{s:.2f}", "{\"s\": \"ab\"}")] // ValueError: Unknown format code 'f' for object of type 'str'
    [InlineData("{s:ss}", "{\"s\": \"ab\"}")] // ValueError: Invalid format specifier 'ss' for object of type 'str'
    [InlineData("{s:2x}", "{\"s\": \"ab\"}")] // ValueError: Unknown format code 'x' for object of type 'str'
    [InlineData("{v!}", "{\"v\": 5}")] // ValueError: unmatched '{' in format spec
    [InlineData("{v!} y", "{\"v\": 5}")] // ValueError: expected ':' after conversion specifier
    [InlineData("{v!rr}", "{\"v\": 5}")] // ValueError: expected ':' after conversion specifier
    [InlineData("{v!r", "{\"v\": 5}")] // ValueError: unmatched '{' in format spec
    [InlineData("{v!", "{\"v\": 5}")] // ValueError: end of string while looking for conversion specifier
    [InlineData("{s[9]}", "{\"s\": \"abc\"}")] // IndexError: string index out of range
    [InlineData("{s[x]}", "{\"s\": \"abc\"}")] // TypeError: string indices must be integers, not 'str'
    [InlineData("{l[x]}", "{\"l\": [1]}")] // TypeError: list indices must be integers or slices, not str
    [InlineData("{l[5]}", "{\"l\": [1]}")] // IndexError: list index out of range
    [InlineData("{l.x}", "{\"l\": [1]}")] // AttributeError: x
    [InlineData("{n.x}", "{\"n\": 1}")] // AttributeError: x
    [InlineData("{n[0]}", "{\"n\": 1}")] // TypeError: 'int' object is not subscriptable
    [InlineData("{n[0]x}", "{\"n\": [1]}")] // ValueError: Only '.' or '[' may follow ']' in format field specifier
    [InlineData("{n[]}", "{\"n\": [1]}")] // ValueError: Empty attribute in format string
    [InlineData("{n.}", "{\"n\": [1]}")] // ValueError: Empty attribute in format string
    [InlineData("{n..x}", "{\"n\": {\"x\": 1}}")] // ValueError: Empty attribute in format string
    [InlineData("{n[0}", "{\"n\": [1]}")] // ValueError: expected '}' before end of string
    [InlineData("{n[0", "{\"n\": [1]}")] // ValueError: expected '}' before end of string
    [InlineData("{n", "{\"n\": 1}")] // ValueError: expected '}' before end of string
    [InlineData("{", "{\"n\": 1}")] // ValueError: Single '{' encountered in format string
    [InlineData("}", "{\"n\": 1}")] // ValueError: Single '}' encountered in format string
    [InlineData("{}", "{\"n\": 1}")] // IndexError: tuple index out of range
    [InlineData("{n}{}", "{\"n\": 1}")] // IndexError: tuple index out of range
    [InlineData("{[0]}", "{\"n\": 1}")] // KeyError: ''
    [InlineData("{0[0]}", "{\"n\": 1}")] // IndexError: tuple index out of range
    [InlineData("{.x}", "{\"n\": 1}")] // KeyError: ''
    [InlineData("{n{}}", "{\"n\": 1}")] // ValueError: unexpected '{' in field name
    [InlineData("{n:{{}}}", "{\"n\": 1}")] // ValueError: Invalid format specifier '{}' for object of type 'int'
    [InlineData("{n:{w:{p}}}", "{\"n\": 1, \"w\": 2, \"p\": 3}")] // ValueError: Max string recursion exceeded
    [InlineData("{n:{w:3}}", "{\"n\": 1, \"w\": 2}")] // ValueError: Invalid format specifier '  2' for object of type 'int'
    [InlineData("{n:{w}}", "{\"n\": 1, \"w\": \"bad spec\"}")] // ValueError: Invalid format specifier 'bad spec' for object of type 'int'
    [InlineData("{n:{missing}}", "{\"n\": 1}")] // KeyError: 'missing'
    public void Format_string_that_python_rejects_throws_a_format_exception(string format, string json) =>
        Assert.Throws<FormatException>(() => PyFormatter.Instance.Format(format, FormattingData.FromJson(json)));
}
