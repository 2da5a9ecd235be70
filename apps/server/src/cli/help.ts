/** Help text of every command level, keyed by the command path. */

const GLOBAL = `Global options:
  --url URL        Lianjie's address (default: $LIANJIE_URL, else http://127.0.0.1:3000)
  --server URL     the same as --url (use it with \`sim callback\`, where --url is the callback URL)
  --json           print the API's JSON answer (for scripts) instead of readable lines
  --demo           take --consumer, --account, --appid and --secret from ./data/demo-credentials.json
                   (the demo \`npm start\` seeds; DATA_DIR changes the folder)
  -h, --help       show help for the command`;

const WHO = `  --consumer PHONE:PASSWORD   the consumer acting (their own login)
  --account APPID|ID          the official account (appid or account id)`;

export const HELP: Record<string, string> = {
  '': `lianjie — command line of the Lianjie platform

Usage: lianjie <command> [options]

Commands:
  sim      the sandbox simulator: act as a consumer without a browser

Run \`lianjie sim --help\` for the simulator's commands.

${GLOBAL}

Exit status: 0 on success, 1 when the API refused or could not be reached, 2 on a usage error.`,

  sim: `lianjie sim — the sandbox simulator (sandbox mode only; a production server answers 404)

Usage: lianjie sim <command> [options]

Commands:
  consumer create   create a consumer (random phone and password unless given)
  follow            follow an account, by search or by scanning a scene QR code
  unfollow          unfollow an account
  message           send a text, image, location or link and print the account's passive reply
  event             send a menu tap, scan or location event and print the reply
  callback          set an account's callback URL and mode with its appid and appsecret
  thread            print the consumer's recent messages with an account
  oauth             OAuth web login as the consumer: print the redirect with its code
  topup             top up the consumer's wallet from a simulated bank card
  pay               pay an order from the consumer's wallet (prepay_id, out_trade_no or code_url)
  paycode           show the consumer's payment code (付款码) for a merchant's micropay
  insurance-card    bind an insurance card, so orders with an insured share can be paid

Each command prints what the consumer received, e.g. \`← [text] Hello\`. Try:
  lianjie sim message --demo --text hi

${GLOBAL}`,

  'sim consumer': `lianjie sim consumer — manage simulated consumers

Commands:
  create   create a consumer; see \`lianjie sim consumer create --help\``,

  'sim consumer create': `Usage: lianjie sim consumer create [--phone PHONE] [--password PASSWORD] [--nickname NAME]

Creates a consumer and prints their phone, password and id. Without --phone / --password a random
phone number (170…) and password are chosen. Use the result as --consumer PHONE:PASSWORD.

${GLOBAL}`,

  'sim follow': `Usage: lianjie sim follow --consumer PHONE:PASSWORD --account APPID [--scene search|qr] [--qr-scene SCENE] [--ticket T]

Follows the account (a \`subscribe\` push; with --qr-scene the EventKey is qrscene_SCENE, and a consumer
who already follows gets a SCAN push instead) and prints the account's answer.
  --scene search|qr   how the consumer found the account (default search; qr when --qr-scene is given)
  --qr-scene SCENE    the QR code's scene: a number (scene_id) or a string (scene_str)
  --ticket T          the QR code's ticket, sent as Ticket

${WHO}
${GLOBAL}`,

  'sim unfollow': `Usage: lianjie sim unfollow --consumer PHONE:PASSWORD --account APPID

Unfollows the account (an \`unsubscribe\` push; WeChat shows no reply to it).

${WHO}
${GLOBAL}`,

  'sim message': `Usage: lianjie sim message --consumer PHONE:PASSWORD --account APPID (--text TEXT | --image URL | --location LAT,LNG[,LABEL] | --link URL [--title T] [--description D])

Sends one message to the account and prints the passive reply as the consumer received it
(after the push's retries, if the merchant's server fails).

${WHO}
${GLOBAL}`,

  'sim event': `Usage: lianjie sim event --consumer PHONE:PASSWORD --account APPID --event EVENT [--key K] [...]

Events and what they need:
  CLICK --key K                              a click menu button
  VIEW --key URL                             a view menu button (no reply is shown)
  scancode_push | scancode_waitmsg --key K --scan-result TEXT
  location_select --key K --location LAT,LNG[,LABEL]
  LOCATION --location LAT,LNG [--precision M] the consumer's reported position (no reply is shown)
  SCAN --key SCENE                           a follower scanned a scene QR code

${WHO}
${GLOBAL}`,

  'sim callback': `Usage: lianjie sim callback --appid APPID --secret APPSECRET --url CALLBACK_URL --mode plain|compatible|safe [--token T] [--aes-key KEY]

Sets the account's server configuration, as a developer with the appid and appsecret. Lianjie first
checks the URL with the echostr handshake and refuses it if the server does not answer correctly.
  --url URL        the merchant server's callback URL ('' clears it); Lianjie's own address comes from
                   --server or $LIANJIE_URL here
  --mode MODE      plain, compatible or safe (encrypted)
  --token T        the Token (default: the account's current Token)
  --aes-key KEY    the EncodingAESKey, 43 characters (default: the current one)

${GLOBAL}`,

  'sim oauth': `Usage: lianjie sim oauth --consumer PHONE:PASSWORD --account APPID --redirect-uri URL [--scope snsapi_base|snsapi_userinfo] [--state S]

Authorises the account's OAuth web login as the consumer (snsapi_userinfo consent is given directly)
and prints the redirect with its code, as the browser would follow it. The redirect URI's host must be
the account's web-page domain. Exchange the code at /sns/oauth2/access_token (single use, 5 minutes).
  --redirect-uri URL   the merchant page to return to
  --scope SCOPE        snsapi_base (default) or snsapi_userinfo
  --state S            up to 128 letters, digits, _ or -

${WHO}
${GLOBAL}`,

  'sim topup': `Usage: lianjie sim topup --consumer PHONE:PASSWORD --amount FEN

Tops up the consumer's Lianjie Pay wallet from their first simulated bank card (a sandbox card is
added when they have none). The amount is in fen: --amount 10000 is ¥100.00 (at most 5000000).
  --consumer PHONE:PASSWORD   the consumer (their own login); --demo takes the demo consumer
  --amount FEN                1..5000000

${GLOBAL}`,

  'sim pay': `Usage: lianjie sim pay (--prepay-id ID | --out-trade-no NO --mch-id MCHID | --code-url URL) [--consumer PHONE:PASSWORD] [--pin PIN]

Pays an order from the consumer's Lianjie Pay wallet with their payment PIN, as the pay sheet would:
  --prepay-id ID       a JSAPI order's prepay_id (the consumer must be its payer)
  --out-trade-no NO    the merchant's order number, with --mch-id MCHID: any order of that merchant
                       (JSAPI, Native, H5, or a payment-code order waiting for the PIN)
  --code-url URL       a Native code_url (…/pay/native/…) or H5 h5_url (…/pay/h5/…): whoever scans pays
  --pin PIN            the consumer's 6-digit payment PIN; a consumer without a PIN gets this one
                       (default 123456) set first
  --consumer PHONE:PASSWORD   the consumer (their own login); --demo takes the demo consumer

Top the wallet up first with \`lianjie sim topup\`. Prints the order's state and the new balance.

${GLOBAL}`,

  'sim insurance-card': `Usage: lianjie sim insurance-card [--consumer PHONE:PASSWORD] [--insurer NAME] [--card-no NO] [--holder NAME]

Binds an insurance card to the consumer (the hospital case). A merchant may then create an order with
an insured share for them (our JSON API: POST /api/v1/merchant/pay/orders with insurance.amount); when
it is paid (\`lianjie sim pay\`), the insurance fund pays that share and the wallet the rest.
  --insurer NAME       default 城镇职工医保
  --card-no NO         8–24 digits or capital letters (default: a sandbox number)
  --holder NAME        default: the consumer's nickname
  --consumer PHONE:PASSWORD   the consumer (their own login); --demo takes the demo consumer

${GLOBAL}`,

  'sim paycode': `Usage: lianjie sim paycode [--consumer PHONE:PASSWORD]

Prints a new payment code (付款码): 18 digits starting 13, valid 60 seconds, single use. The merchant
passes it as auth_code to micropay; up to ¥1000 is paid at once, above that the consumer confirms with
the PIN (\`lianjie sim pay --out-trade-no NO --mch-id MCHID\`). A new code invalidates older unused ones.
  --consumer PHONE:PASSWORD   the consumer (their own login); --demo takes the demo consumer

${GLOBAL}`,

  'sim thread': `Usage: lianjie sim thread --consumer PHONE:PASSWORD --account APPID [--limit N]

Prints the consumer's last N messages with the account (default 20): → sent, ← received.

${WHO}
${GLOBAL}`,
};
