//! A broker URL that points at another protocol's server says so in words:
//! the answer is shown as text as well as bytes.

use std::io::{Read, Write};

use labkit::broker::{Finder, Kind, Lookup, Place};

#[tokio::test]
async fn an_http_server_behind_mqtt_url_is_named_as_not_mqtt() {
    // A web server's answer to anything: "HTTP/1.1 400 Bad Request".
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for mut conn in listener.incoming().flatten() {
            let mut buf = [0u8; 64];
            let _ = conn.read(&mut buf);
            let _ = conn.write_all(b"HTTP/1.1 400 Bad Request\r\n\r\n");
        }
    });
    let error = Finder::new(Kind::Mosquitto)
        .places(&[Place::Env])
        .lookup(Lookup::from_process().var("MQTT_URL", &format!("mqtt://{addr}")))
        .find()
        .await
        .expect_err("an HTTP server is not an MQTT broker");
    let message = error.to_string();
    assert!(message.contains("does not speak MQTT"), "{message}");
    assert!(
        message.contains("\"HTTP\""),
        "shows the answer as text: {message}"
    );
    assert!(!message.contains('\n'), "one line: {message}");
}
