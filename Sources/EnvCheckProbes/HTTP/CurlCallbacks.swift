import CCurl

// libcurl's callbacks: C function pointers (no captures), so the exchange travels as
// `userdata` (CURLOPT_WRITEDATA / CURLOPT_HEADERDATA / CURLOPT_DEBUGDATA, set in
// CurlTransport.swift).

/// Body bytes into the exchange's collector.
let curlWriteBody: envcheck_curl_data_cb = { data, size, count, user in
    let bytes = UnsafeRawBufferPointer(start: data, count: size * count)
    let exchange = Unmanaged<CurlExchange>.fromOpaque(user!).takeUnretainedValue()
    return exchange.appendBody(bytes) ? bytes.count : 0  // 0 makes curl stop with CURLE_WRITE_ERROR
}

/// One header line into the exchange's collector.
let curlWriteHeader: envcheck_curl_data_cb = { data, size, count, user in
    let bytes = UnsafeRawBufferPointer(start: data, count: size * count)
    let exchange = Unmanaged<CurlExchange>.fromOpaque(user!).takeUnretainedValue()
    return exchange.appendHeader(bytes) ? bytes.count : 0
}

/// curl's informational lines (CURLOPT_VERBOSE) into the exchange's connection log: only
/// `CURLINFO_TEXT`, never the header or data kinds (the request's headers carry secrets).
let curlDebug: envcheck_curl_debug_cb = { _, kind, data, size, user in
    guard kind == CURLINFO_TEXT, let data, let user else { return 0 }
    let exchange = Unmanaged<CurlExchange>.fromOpaque(user).takeUnretainedValue()
    exchange.noteConnectText(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}
