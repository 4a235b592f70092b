using Hub.Config.Values;
using static Hub.Tests.Support.ConfigTestLoader;

namespace Hub.Tests.Config.Values;

public sealed class PythonLiteralTests
{
    private const string NotALiteral = "TEXT";

    [Theory]
    // Integers: unary sign, "_" between digits, prefixes in any case, any size.
    [InlineData("1883", "int:1883")]
    [InlineData("-5", "int:-5")]
    [InlineData("+ 5", "int:5")]
    [InlineData("1_000", "int:1000")]
    [InlineData("0x1F", "int:31")]
    [InlineData("0X1f", "int:31")]
    [InlineData("0o17", "int:15")]
    [InlineData("0O17", "int:15")]
    [InlineData("0b101", "int:5")]
    [InlineData("0B101", "int:5")]
    [InlineData("0x_1f", "int:31")]
    [InlineData("0", "int:0")]
    [InlineData("000", "int:0")]
    [InlineData("-9223372036854775808", "int:-9223372036854775808")]
    [InlineData("9223372036854775808", "big:9223372036854775808")]
    [InlineData("123456789012345678901234567890", "big:123456789012345678901234567890")]
    [InlineData("1__000", NotALiteral)]
    [InlineData("1_", NotALiteral)]
    [InlineData("0x", NotALiteral)]
    [InlineData("0b102", NotALiteral)]
    [InlineData("007", NotALiteral)]
    [InlineData("--5", NotALiteral)]
    [InlineData("-True", NotALiteral)]
    // Floats: a "." or an exponent makes a float.
    [InlineData("1.5", "float:1.5")]
    [InlineData(".5", "float:0.5")]
    [InlineData("5.", "float:5")]
    [InlineData("1e3", "float:1000")]
    [InlineData("2.5E-3", "float:0.0025")]
    [InlineData("-1.5", "float:-1.5")]
    [InlineData("007.5", "float:7.5")]
    [InlineData("1_0.5", "float:10.5")]
    [InlineData("1e", NotALiteral)]
    // Names and arithmetic are not literals.
    [InlineData("inf", NotALiteral)]
    [InlineData("nan", NotALiteral)]
    [InlineData("1+2", NotALiteral)]
    [InlineData("localhost", NotALiteral)]
    [InlineData("log:info", NotALiteral)]
    [InlineData("udf.py", NotALiteral)]
    [InlineData("", NotALiteral)]
    [InlineData("   ", NotALiteral)]
    // Strings.
    [InlineData("'a'", "str:'a'")]
    [InlineData("\"a\"", "str:'a'")]
    [InlineData("'''a'''", "str:'a'")]
    [InlineData("\"\"\"a\"\"\"", "str:'a'")]
    [InlineData("'''line1\nline2'''", "str:'line1\nline2'")]
    [InlineData(@"r'C:\x'", @"str:'C:\x'")]
    [InlineData(@"R'C:\x'", @"str:'C:\x'")]
    [InlineData("u'a'", "str:'a'")]
    [InlineData("U'a'", "str:'a'")]
    [InlineData("'ab' \"cd\"", "str:'abcd'")]
    [InlineData("'a' r'\\d' u'c'", @"str:'a\dc'")]
    [InlineData("\"it's\"", "str:'it's'")]
    [InlineData("''", "str:''")]
    [InlineData("'a", NotALiteral)]
    [InlineData("'a\nb'", NotALiteral)]
    [InlineData("ur'a'", NotALiteral)]
    // Escapes.
    [InlineData(@"'\\ \' \"" \n \r \t'", "str:'\\ ' \" \n \r \t'")]
    [InlineData(@"'\a\b\f\v'", "str:'\a\b\f\v'")]
    [InlineData(@"'\0\101\7'", "str:'\0A\a'")]
    [InlineData(@"'\x41\u00e9\U0001F600'", "str:'Aé😀'")]
    [InlineData(@"'\d'", @"str:'\d'")]
    [InlineData("'a\\\nb'", "str:'ab'")]
    [InlineData(@"r'\''", @"str:'\''")]
    [InlineData(@"'\x4'", NotALiteral)]
    [InlineData(@"'\N{DASH}'", NotALiteral)]
    [InlineData(@"'\U00110000'", NotALiteral)]
    // True/False/None: any case inside containers.
    [InlineData("True", "bool:True")]
    [InlineData("[True, false, NONE]", "[bool:True, bool:False, null]")]
    // Lists, tuples and the bare top-level comma list become lists.
    [InlineData("[1, 'a',]", "[int:1, str:'a']")]
    [InlineData("[]", "[]")]
    [InlineData("(1, 2)", "[int:1, int:2]")]
    [InlineData("(1,)", "[int:1]")]
    [InlineData("()", "[]")]
    [InlineData("1, 2", "[int:1, int:2]")]
    [InlineData("1,", "[int:1]")]
    [InlineData("(5)", "int:5")]
    [InlineData("((5))", "int:5")]
    [InlineData("[,]", NotALiteral)]
    [InlineData("[1 2]", NotALiteral)]
    [InlineData("[1", NotALiteral)]
    // Dicts: keys as text, order kept, the last repeated key wins.
    [InlineData("{'a': 1, 'b': {'c': [1, (2, 3)]}}", "{a: int:1, b: {c: [int:1, [int:2, int:3]]}}")]
    [InlineData("{}", "{}")]
    [InlineData("{1: 'x', 1.5: 'y', True: 'z', None: 'n'}", "{1: str:'x', 1.5: str:'y', True: str:'z', None: str:'n'}")]
    [InlineData("{'a': 1, 'b': 2, 'a': 3}", "{a: int:3, b: int:2}")]
    [InlineData("{'a': 1,}", "{a: int:1}")]
    [InlineData("{(1, 2): 'x'}", NotALiteral)]
    [InlineData("{'a': 1, 'b'}", NotALiteral)]
    // Outside the subset: sets, bytes, complex, f-strings.
    [InlineData("{'a', 'b'}", NotALiteral)]
    [InlineData("b'x'", NotALiteral)]
    [InlineData("1j", NotALiteral)]
    [InlineData("f'x'", NotALiteral)]
    [InlineData("...", NotALiteral)]
    // Comments, newlines inside brackets, and inline ";" (not a literal; see InlineComments).
    [InlineData("1883  # std", "int:1883")]
    [InlineData("{\n'a': 1,   # one\n# a whole comment line\n'b': 2\n}", "{a: int:1, b: int:2}")]
    [InlineData("[1,\n2]", "[int:1, int:2]")]
    [InlineData("1\n2", NotALiteral)]
    [InlineData("'localhost'  ; default", NotALiteral)]
    public void A_value_parses_as_in_Python(string input, string expected)
    {
        var parsed = PythonLiteral.TryParse(input, out var value);

        Assert.Equal(expected, parsed ? Describe(value) : NotALiteral);
    }

    [Theory]
    [InlineData("true", "bool:True")]
    [InlineData("FALSE", "bool:False")]
    [InlineData("None", "null")]
    [InlineData("nOnE", "null")]
    [InlineData("localhost", "str:'localhost'")]
    [InlineData("  'localhost'  ", "str:'localhost'")]
    [InlineData("1883", "int:1883")]
    public void Path_L_accepts_booleans_and_none_in_any_case_and_keeps_other_text(string input, string expected) =>
        Assert.Equal(expected, Describe(PythonLiteral.ParseOrText(input)));

    [Fact]
    public void Deeply_nested_brackets_are_text_rather_than_a_stack_overflow()
    {
        var deep = new string('[', 100_000) + new string(']', 100_000);

        Assert.False(PythonLiteral.TryParse(deep, out _));
    }

    [Fact]
    public void A_float_dict_key_is_written_as_Python_writes_it()
    {
        Assert.True(PythonLiteral.TryParse("{1e16: 'a', 1e-5: 'b', 2.0: 'c', 0.0001: 'd'}", out var value));

        Assert.Equal(["1e+16", "1e-05", "2.0", "0.0001"], ((OrderedDictionary<string, object?>)value!).Keys);
    }
}
