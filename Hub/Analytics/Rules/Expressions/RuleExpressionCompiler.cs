using System.Globalization;
using System.Linq.Expressions;

namespace Hub.Analytics.Rules.Expressions;

/// <summary>
/// Compiles the rules' small expression language into delegates (once, when the configuration is built):
/// numbers, names, <c>+ - * / % **</c>, comparisons, <c>and or not</c> (also <c>&amp;&amp; || !</c>), <c>true false</c>,
/// parentheses and a fixed set of functions (<see cref="Functions"/>). There is no member access, no method call
/// outside that set and no assignment, so a rule cannot run arbitrary code. Names are bound to slots by the caller.
/// </summary>
internal static class RuleExpressionCompiler
{
    /// <summary>The functions an expression may call, with their arity (-1 = one or more).</summary>
    public static readonly IReadOnlyDictionary<string, int> Functions = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["abs"] = 1, ["sqrt"] = 1, ["log"] = 1, ["log10"] = 1, ["exp"] = 1, ["floor"] = 1, ["ceil"] = 1, ["round"] = 1,
        ["min"] = -1, ["max"] = -1, ["clamp"] = 3, ["isnan"] = 1, ["pow"] = 2,
    };

    /// <summary>Parses <paramref name="text"/>, binding each name through <paramref name="slotOf"/> (which throws <see cref="RuleExpressionException"/> for a name it refuses).</summary>
    /// <exception cref="RuleExpressionException">The text is not a valid expression.</exception>
    public static RuleExpression Compile(string text, Func<string, int> slotOf, bool compile = true)
    {
        var parser = new Parser(text, slotOf);
        var body = parser.ParseAll();
        var evaluate = compile ? Expression.Lambda<Func<double[], double>>(body, parser.Slots).Compile() : static _ => double.NaN;
        return new RuleExpression(text, evaluate, parser.Names, parser.Literals);
    }

    private sealed class Parser(string text, Func<string, int> slotOf)
    {
        private static readonly Expression One = Expression.Constant(1.0);
        private static readonly Expression Zero = Expression.Constant(0.0);
        private int position;

        public ParameterExpression Slots { get; } = Expression.Parameter(typeof(double[]), "slots");

        public List<string> Names { get; } = [];

        public List<double> Literals { get; } = [];

        public Expression ParseAll()
        {
            if (text.Trim().Length == 0)
            {
                throw new RuleExpressionException("the expression is empty");
            }

            var result = Or();
            SkipSpace();
            if (position < text.Length)
            {
                throw Fail($"unexpected '{text[position]}'");
            }

            return result;
        }

        private Expression Or()
        {
            var left = And();
            while (Accept("or") || Accept("||"))
            {
                var right = And();
                left = Expression.Condition(Truth(left), One, Expression.Condition(Truth(right), One, Zero));
            }

            return left;
        }

        private Expression And()
        {
            var left = Not();
            while (Accept("and") || Accept("&&"))
            {
                var right = Not();
                left = Expression.Condition(Truth(left), Expression.Condition(Truth(right), One, Zero), Zero);
            }

            return left;
        }

        private Expression Not()
        {
            if (Accept("not") || AcceptNotFollowedBy("!", '='))
            {
                return Expression.Condition(Truth(Not()), Zero, One);
            }

            return Comparison();
        }

        private Expression Comparison()
        {
            var left = Sum();
            foreach (var op in (string[])["<=", ">=", "==", "!=", "<", ">"])
            {
                if (Accept(op))
                {
                    var right = Sum();
                    Expression test = op switch
                    {
                        "<=" => Expression.LessThanOrEqual(left, right),
                        ">=" => Expression.GreaterThanOrEqual(left, right),
                        "==" => Expression.Equal(left, right),
                        "!=" => Expression.NotEqual(left, right),
                        "<" => Expression.LessThan(left, right),
                        _ => Expression.GreaterThan(left, right),
                    };
                    return Expression.Condition(test, One, Zero);
                }
            }

            return left;
        }

        private Expression Sum()
        {
            var left = Product();
            while (true)
            {
                if (Accept("+"))
                {
                    left = Expression.Add(left, Product());
                }
                else if (Accept("-"))
                {
                    left = Expression.Subtract(left, Product());
                }
                else
                {
                    return left;
                }
            }
        }

        private Expression Product()
        {
            var left = Unary();
            while (true)
            {
                if (AcceptNotFollowedBy("*", '*'))
                {
                    left = Expression.Multiply(left, Unary());
                }
                else if (Accept("/"))
                {
                    left = Expression.Divide(left, Unary());
                }
                else if (Accept("%"))
                {
                    left = Expression.Modulo(left, Unary());
                }
                else
                {
                    return left;
                }
            }
        }

        private Expression Unary()
        {
            if (Accept("-"))
            {
                return Expression.Negate(Unary());
            }

            if (Accept("+"))
            {
                return Unary();
            }

            var primary = Primary();
            return Accept("**") ? Call(nameof(Math.Pow), primary, Unary()) : primary;
        }

        private Expression Primary()
        {
            SkipSpace();
            if (position >= text.Length)
            {
                throw Fail("the expression ends too early");
            }

            var c = text[position];
            if (c == '(')
            {
                position++;
                var inner = Or();
                Expect(")");
                return inner;
            }

            if (char.IsAsciiDigit(c) || c == '.')
            {
                return Number();
            }

            if (char.IsAsciiLetter(c) || c == '_')
            {
                var start = position;
                var name = Name();
                switch (name)
                {
                    case "true" or "True": return One;
                    case "false" or "False": return Zero;
                }

                SkipSpace();
                if (position < text.Length && text[position] == '(')
                {
                    position++;
                    return Function(name, start);
                }

                return Slot(name, start);
            }

            throw Fail($"unexpected '{c}'");
        }

        private Expression Number()
        {
            var start = position;
            while (position < text.Length && (char.IsAsciiDigit(text[position]) || text[position] is '.' or '_'
                || (text[position] is 'e' or 'E' && position + 1 < text.Length && (char.IsAsciiDigit(text[position + 1]) || text[position + 1] is '-' or '+'))
                || (text[position] is '-' or '+' && text[position - 1] is 'e' or 'E')))
            {
                position++;
            }

            var literal = text[start..position].Replace("_", "", StringComparison.Ordinal);
            if (!double.TryParse(literal, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            {
                position = start;
                throw Fail($"'{text[start..(start + literal.Length)]}' is not a number");
            }

            Literals.Add(number);
            return Expression.Constant(number);
        }

        private string Name()
        {
            var start = position;
            while (position < text.Length && (char.IsAsciiLetterOrDigit(text[position]) || text[position] is '_' || (text[position] == '.' && position + 1 < text.Length && (char.IsAsciiLetterOrDigit(text[position + 1]) || text[position + 1] == '_'))))
            {
                position++;
            }

            return text[start..position];
        }

        private Expression Slot(string name, int start)
        {
            int slot;
            try
            {
                slot = slotOf(name);
            }
            catch (RuleExpressionException ex)
            {
                position = start;
                throw Fail(ex.Message);
            }

            if (!Names.Contains(name))
            {
                Names.Add(name);
            }

            return Expression.ArrayIndex(Slots, Expression.Constant(slot));
        }

        private Expression Function(string name, int start)
        {
            if (!Functions.TryGetValue(name, out var arity))
            {
                position = start;
                throw Fail($"unknown function '{name}' (known: {string.Join(", ", Functions.Keys)})");
            }

            var arguments = new List<Expression>();
            SkipSpace();
            if (!Accept(")"))
            {
                do
                {
                    arguments.Add(Or());
                }
                while (Accept(","));
                Expect(")");
            }

            if (arity >= 0 ? arguments.Count != arity : arguments.Count == 0)
            {
                position = start;
                throw Fail($"{name}() takes {(arity < 0 ? "one or more" : arity.ToString(CultureInfo.InvariantCulture))} argument{(arity == 1 ? "" : "s")}, not {arguments.Count}");
            }

            return name switch
            {
                "abs" => Call(nameof(Math.Abs), arguments[0]),
                "sqrt" => Call(nameof(Math.Sqrt), arguments[0]),
                "log" => Call(nameof(Math.Log), arguments[0]),
                "log10" => Call(nameof(Math.Log10), arguments[0]),
                "exp" => Call(nameof(Math.Exp), arguments[0]),
                "floor" => Call(nameof(Math.Floor), arguments[0]),
                "ceil" => Call(nameof(Math.Ceiling), arguments[0]),
                "round" => Call(nameof(Math.Round), arguments[0]),
                "pow" => Call(nameof(Math.Pow), arguments[0], arguments[1]),
                "isnan" => Expression.Condition(Expression.Call(typeof(double), nameof(double.IsNaN), null, arguments[0]), One, Zero),
                "clamp" => Call(nameof(Math.Clamp), arguments[0], arguments[1], arguments[2]),
                "min" => arguments.Aggregate((a, b) => Call(nameof(Math.Min), a, b)),
                _ => arguments.Aggregate((a, b) => Call(nameof(Math.Max), a, b)),
            };
        }

        private static MethodCallExpression Call(string method, params Expression[] arguments) =>
            Expression.Call(typeof(Math).GetMethod(method, [.. arguments.Select(_ => typeof(double))])!, arguments);

        private static BinaryExpression Truth(Expression value) =>
            Expression.AndAlso(Expression.NotEqual(value, Zero), Expression.Equal(value, value));

        private bool Accept(string token)
        {
            SkipSpace();
            if (string.CompareOrdinal(text, position, token, 0, token.Length) != 0)
            {
                return false;
            }

            // A word operator must not be the start of a longer name (order, notice, android).
            var end = position + token.Length;
            if (char.IsAsciiLetter(token[0]) && end < text.Length && (char.IsAsciiLetterOrDigit(text[end]) || text[end] is '_' or '.'))
            {
                return false;
            }

            position = end;
            return true;
        }

        private bool AcceptNotFollowedBy(string token, char next)
        {
            SkipSpace();
            var end = position + token.Length;
            return (end >= text.Length || text[end] != next) && Accept(token);
        }

        private void Expect(string token)
        {
            if (!Accept(token))
            {
                throw Fail(position < text.Length ? $"expected '{token}', found '{text[position]}'" : $"expected '{token}' at the end");
            }
        }

        private void SkipSpace()
        {
            while (position < text.Length && char.IsWhiteSpace(text[position]))
            {
                position++;
            }
        }

        private RuleExpressionException Fail(string message) =>
            new($"{message} at column {Math.Min(position, text.Length) + 1} of '{text}'");
    }
}
