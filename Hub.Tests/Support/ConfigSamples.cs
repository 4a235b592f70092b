namespace Hub.Tests.Support;

/// <summary>Configuration files as users write them.</summary>
internal static class ConfigSamples
{
    /// <summary>Modeled on mqttwarn's shipped example <c>mqttwarn.ini</c> (built-in features only), with its comment styles.</summary>
    public const string MqttwarnIni = """
        # -*- coding: utf-8 -*-
        # mqttwarn example configuration file "mqttwarn.ini"

        ; ------------------------------------------
        ;             Base configuration
        ; ------------------------------------------

        [defaults]
        ; ----
        ; MQTT
        ; ----

        hostname  = 'localhost'
        port      = 1883
        username  = None
        password  = None
        clientid  = 'mqttwarn'
        lwt       = 'clients/mqttwarn'
        skipretained = False
        cleansession = False

        # MQTTv31 = 3   (default)
        # MQTTv311 = 4
        protocol  = 3

        ; -------
        ; Logging
        ; -------

        ; Send log output to STDERR
        logfile   = 'stream://sys.stderr'

        ; Send log output to file
        ;logfile   = 'mqttwarn.log'

        ; one of: CRITICAL, DEBUG, ERROR, INFO, WARN
        loglevel     = DEBUG

        ;path to file containing self-defined functions for formatmap, alldata, and filters
        ;functions = 'samplefuncs.py'

        ; --------
        ; Services
        ; --------

        ; name the service providers you will be using.
        launch    = file, log, smtp, pushover, ntfy, http, mqttpub, alarmlog

        ; -------
        ; Status
        ; -------
        status_publish = True
        status_topic = mqttwarn/$SYS


        [config:file]
        append_newline = True
        targets = {
            'f01'       : ['/tmp/f.01'],
            'log-me'    : ['/tmp/log.me'],
            'mqttwarn'  : ['/tmp/mqttwarn.err'],
            }

        [config:log]
        targets = {
            'debug'  : [ 'debug' ],
            'info'   : [ 'info' ],
            'warn'   : [ 'warn' ],
            'crit'   : [ 'crit' ],
            'error'  : [ 'error' ]
          }

        ; an instance of the log module under another name
        [config:alarmlog]
        module = 'log'
        targets = {
            # only the serious ones
            'alarm'  : [ 'crit' ],
          }

        [config:smtp]
        server  =  'localhost:25'
        sender  =  "MQTTwarn <jpm@localhost>"
        username  =  None
        password  =  None
        starttls  =  False
        # Optional send msg as html or only plain text
        htmlmsg   =  False
        targets = {
            'localj'     : [ 'jpm@localhost' ],
            'special'    : [ 'ben@gmail', 'suzie@example.net' ]
            }

        [config:pushover]
        callback = None
        alias = 'MQTTwarn'
        targets = {
            'nagios'     : ['userkey1', 'appkey1', 'sound1'],
            'alerts'     : ['userkey2', 'appkey2', 'pushover', 'phone,tablet'],
            'tracking'   : ['userkey1', 'appkey2', None, None],
          }

        [config:ntfy]
        targets = {
            'test': 'http://localhost:5555/testdrive',
            'attach': {
                'url': 'http://localhost:5555/testdrive',
                'file': '/tmp/ntfy-attachment.png',
                'title': 'Camera {camera}',
                '__settings__': {'file_retry_tries': 10, 'file_retry_interval': 0.075},
              },
          }

        [config:http]
        timeout = 60
        targets = {
                        #method     #URL               # query params or None          # list auth # Json
          'get1'    : [ "get",  "http://example.org?", { 'q': '{name}', 'isod' : '{_dtiso}', 'xx': 'yy' }, ('username', 'password') ],
          'post1'    : [ "post", "http://example.net", { 'q': '{name}', 'isod' : '{_dtiso}', 'xx': 'yy' }, None, True ]
          }

        [config:mqttpub]
        targets = {
                         # topic            qos     retain
            'mout1'   : [ 'mout/1',         0,     False ],
            'special' : [ 'some/{device}',  1,     True  ],
          }

        ; special config for 'failover' events
        [failover]
        targets = log:error, file:mqttwarn
        title = mqttwarn: broker connection lost

        ; ------------------------------------------
        ;                  Basic
        ; ------------------------------------------

        [hello/1]
        targets = log:info
        format = u'{name}: {number} => {_dthhmm}'

        [test/+]
        targets = file:f01, mqttpub:mout1

        [owntracks/+/+]
        targets = log:info, file:f01
        title = Owntracks
        format = {username} {device} {lat},{lon}
        priority = 1

        [monitoring/+]
        qos = 1
        targets = smtp:localj, pushover:nagios
        title = '{topic}: Alarm!'
        format = {_dtiso}: {payload}
        timeout = 300

        [ntfy-test]
        topic = ntfy/#
        targets = ntfy:test, ntfy:attach

        ; a dispatcher: the most specific filter wins
        [#]
        targets = {
            '/#': 'file:f01',
            '/test/#': 'log:info',
            '/test/out/#': 'log:warn',
            '/test/out/+': 'log:crit',
            '/test/out/FL_power_consumption/state': [ 'log:debug', 'alarmlog:alarm' ],
          }

        [http/#]
        targets = http:get1, http:post1
        """;
}
