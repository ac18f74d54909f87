import CCurl

// libcurl's write callbacks: C function pointers (no captures), so the exchange travels as
// `userdata` (CURLOPT_WRITEDATA / CURLOPT_HEADERDATA, set in CurlTransport.swift).

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
