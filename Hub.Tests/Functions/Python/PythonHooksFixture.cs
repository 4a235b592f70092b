using Hub.Config;
using Hub.Tests.Support;

namespace Hub.Tests.Functions.Python;

/// <summary>One udf.py in mqttwarn's shapes for the whole class: each test routes its own topic.</summary>
public sealed class PythonHooksFixture : IDisposable
{
    internal const string Module = """
        import json

        def odd_suppressed(topic, message, section, srv):
            srv.logging.info("filtering %s in %s", topic, section)
            return int(message) % 2 == 1

        def legacy_filter(topic, message):
            return message == 'drop'

        def raises(topic, message):
            return 1 / 0

        def topic_parts(data, srv):
            parts = data['topic'].split('/')
            return dict(room=parts[1], given=type(data).__name__, building=srv.SCRIPTNAME)

        def legacy_datamap(data):
            return {'legacy': True}

        def all_data(topic, data, srv):
            seen = data.get('room')
            data['room'] = 'mutated'
            return {'sawroom': seen, 'tags': ('a', 'b'), 'big': 2 ** 70, 'ratio': 0.5, 'nothing': None, 'raw': b'\x00\xff', 'flag': True, 'count': 3}

        def pick_targets(topic, data, srv):
            return ['log:' + data['payload']]

        def not_a_list(topic=None, data=None, srv=None):
            return 42

        def message(data, srv=None):
            return '{room}: {payload}'.format(**data)

        def title(data):
            return 'T:' + data['topic']

        def priority(data, srv):
            return '7'

        def image(data):
            return 'img.png'

        def nothing(data):
            return None

        def number(data):
            return 4.5

        def broken(data):
            raise ValueError('nope')

        def spin(data):
            while True:
                pass

        def pinger(srv):
            srv.mqttc.publish('cron/out', 'pong', qos=1, retain=True)
            srv.mqttc.publish('cron/raw', b'\x01\x02')
            srv.logging.warning('pinged by %s', srv.SCRIPTNAME)
        """;

    public PythonHooksFixture()
    {
        Files.Write("udf.py", Module);
        Config = Files.LoadValid(PythonFunctionFiles.Header + """
            [filter/#]
            targets = log:info
            filter = odd_suppressed()

            [legacy/#]
            targets = log:info
            filter = legacy_filter()
            datamap = legacy_datamap()

            [raises/#]
            targets = log:info
            filter = raises()

            [data/#]
            targets = log:info
            datamap = topic_parts()
            alldata = all_data()

            [targets/#]
            targets = pick_targets()

            [targets-bad/#]
            targets = not_a_list()

            [render/#]
            targets = log:info
            datamap = topic_parts()
            format = message()
            title = title()
            priority = priority()
            image = image()

            [suppress/#]
            targets = log:info
            format = nothing()

            [number/#]
            targets = log:info
            format = number()

            [broken/#]
            targets = log:info
            format = broken()
            title = broken()
            priority = broken()

            [spin/#]
            targets = log:info
            format = spin()

            [cron]
            pinger = 60
            """);
    }

    internal PythonFunctionFiles Files { get; } = new();

    public HubConfig Config { get; }

    public void Dispose() => Files.Dispose();
}
