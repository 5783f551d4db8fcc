# A parse-reporting origin for the real-server scanner on puma: every
# request is answered with 200 and a JSON body of its parse (method,
# target, version, headers, body; bytes as Latin-1).
require 'json'

run(lambda do |env|
  headers = []
  env.each do |k, v|
    if k.start_with?('HTTP_') && k != 'HTTP_VERSION'
      headers << [k[5..].tr('_', '-').downcase, v.to_s]
    elsif %w[CONTENT_LENGTH CONTENT_TYPE].include?(k) && v
      headers << [k.tr('_', '-').downcase, v.to_s]
    end
  end
  target = env['REQUEST_URI'] || env['PATH_INFO'].to_s
  body = env['rack.input'] ? env['rack.input'].read.to_s : ''
  latin1 = ->(s) { s.to_s.dup.force_encoding('ISO-8859-1').encode('UTF-8') }
  out = JSON.generate(
    'method' => latin1.(env['REQUEST_METHOD']),
    'target' => latin1.(target),
    'version' => env['SERVER_PROTOCOL'].to_s.sub('HTTP/', ''),
    'headers' => headers.map { |k, v| [latin1.(k), latin1.(v)] },
    'body' => latin1.(body)
  ) + "\n"
  [200, { 'Content-Type' => 'application/json',
          'Content-Length' => out.bytesize.to_s,
          'X-Scan-Echo' => 'puma' }, [out]]
end)
